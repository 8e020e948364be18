/**
 * Ansible host patterns, as `--limit` takes them: names, groups, `all`/`*`, globs, `~regex`,
 * `a:b` / `a,b` unions, `&` intersections, `!` exclusions, `group[0]`/`group[1:3]` subscripts and
 * `@file` (one pattern per line). Evaluated in Ansible's order: unions, then intersections, then
 * exclusions. Unlike Ansible (which warns), a part that matches no group or host is an error.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { DeployError, Diagnostics } from "../errors.js";
import { parseAddress } from "./address.js";
import { inventoryError } from "./problems.js";
import type { Inventory } from "./types.js";
import { hostsInGroup } from "./vars.js";

interface PatternPart {
  text: string;
  file?: string;
  line?: number;
}

const SUBSCRIPT = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/;
const HINT = "check the spelling; `kolla-deploy inventory --graph` lists every group and host";

/** The hosts a pattern selects, in inventory order (`groups['all']`); undefined selects every host. */
export function selectHosts(inv: Inventory, pattern: string | undefined, opts: { cwd?: string } = {}): string[] {
  const everyone = hostsInGroup(inv, "all");
  if (pattern === undefined) return everyone;
  const diags = new Diagnostics();
  const parts = expandFiles(splitHostPattern(pattern), opts.cwd ?? process.cwd(), diags);
  const selected = new Set(evaluatePatterns(inv, parts, diags));
  diags.throwIfAny();
  const hosts = everyone.filter((h) => selected.has(h));
  if (hosts.length === 0) {
    throw new DeployError("E_INVENTORY_NO_HOSTS", `host pattern '${pattern}' leaves no hosts to target`, HINT);
  }
  return hosts;
}

/** Ansible's split_host_pattern: commas separate; otherwise colons do, unless the whole thing is an address. */
export function splitHostPattern(pattern: string): string[] {
  let parts: string[];
  if (pattern.includes(",")) parts = pattern.split(",");
  else if (parseAddress(pattern.trim()) !== undefined) parts = [pattern];
  else parts = pattern.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? [];
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

function expandFiles(patterns: string[], cwd: string, diags: Diagnostics): PatternPart[] {
  const parts: PatternPart[] = [];
  for (const text of patterns) {
    if (!text.startsWith("@")) {
      parts.push({ text });
      continue;
    }
    const file = isAbsolute(text.slice(1)) ? text.slice(1) : resolve(cwd, text.slice(1));
    let body: string;
    try {
      body = readFileSync(file, "utf8");
    } catch {
      diags.add(inventoryError("E_INVENTORY_PATTERN", file, undefined, "limit file not found or not a file", "give @FILE with one host pattern per line"));
      continue;
    }
    body.split("\n").forEach((line, i) => {
      if (line.trim() !== "") parts.push({ text: line.trim(), file, line: i + 1 });
    });
  }
  return parts;
}

function evaluatePatterns(inv: Inventory, parts: PatternPart[], diags: Diagnostics): string[] {
  const regular = parts.filter((p) => !p.text.startsWith("!") && !p.text.startsWith("&"));
  const ordered = [
    ...(regular.length === 0 ? [{ text: "all" }] : regular),
    ...parts.filter((p) => p.text.startsWith("&")),
    ...parts.filter((p) => p.text.startsWith("!")),
  ];
  let hosts: string[] = [];
  for (const part of ordered) {
    const matched = matchOne(inv, part, diags);
    if (part.text.startsWith("!")) hosts = hosts.filter((h) => !matched.has(h));
    else if (part.text.startsWith("&")) hosts = hosts.filter((h) => matched.has(h));
    else for (const h of matched) if (!hosts.includes(h)) hosts.push(h);
  }
  return hosts;
}

function matchOne(inv: Inventory, part: PatternPart, diags: Diagnostics): Set<string> {
  const bare = part.text.replace(/^[&!]/, "");
  if (inv.hosts.has(bare)) return new Set([bare]);
  const { expr, subscript } = splitSubscript(bare);
  const found = enumerateMatches(inv, expr, part, diags);
  if (found === undefined) return new Set();
  const picked = applySubscript(found, subscript);
  if (picked === undefined) {
    diags.add(patternProblem(part, `subscript in '${bare}' is out of range (${found.length} hosts match '${expr}')`));
    return new Set();
  }
  return new Set(picked);
}

function splitSubscript(pattern: string): { expr: string; subscript?: [number, number | undefined] } {
  if (pattern.startsWith("~")) return { expr: pattern };
  const m = SUBSCRIPT.exec(pattern);
  if (m === null) return { expr: pattern };
  if (m[2] !== undefined) return { expr: m[1]!, subscript: [Number(m[2]), undefined] };
  return { expr: m[1]!, subscript: [Number(m[3]), m[5] === "" ? -1 : Number(m[5])] };
}

function applySubscript(hosts: string[], subscript: [number, number | undefined] | undefined): string[] | undefined {
  if (subscript === undefined || hosts.length === 0) return hosts;
  const [start, end] = subscript;
  if (end) return hosts.slice(start, (end === -1 ? hosts.length - 1 : end) + 1);
  const index = start < 0 ? hosts.length + start : start;
  return index >= 0 && index < hosts.length ? [hosts[index]!] : undefined;
}

/** Groups matching the expression contribute all their hosts; hosts match by name for globs and regexes. */
function enumerateMatches(inv: Inventory, expr: string, part: PatternPart, diags: Diagnostics): string[] | undefined {
  const matcher = compileMatcher(expr);
  if (matcher === undefined) {
    diags.add(patternProblem(part, `invalid host pattern '${expr}'`));
    return undefined;
  }
  const groups = [...inv.groups.keys()].filter((g) => matcher.test(g));
  const results: string[] = groups.flatMap((g) => hostsInGroup(inv, g));
  if (groups.length === 0 || expr.startsWith("~") || /[.?*[]/.test(expr)) {
    results.push(...[...inv.hosts.keys()].filter((h) => matcher.test(h)));
  }
  if (results.length === 0 && groups.length === 0) {
    diags.add(patternProblem(part, `host pattern '${expr}' matches no group and no host`));
    return undefined;
  }
  return [...new Set(results)];
}

/** `~regex` is a Python re.match (anchored at the start only); anything else is an fnmatch glob. */
function compileMatcher(expr: string): RegExp | undefined {
  try {
    if (expr.startsWith("~")) return new RegExp(`^(?:${expr.slice(1)})`);
    return new RegExp(`^${globToRegex(expr)}$`, "su");
  } catch {
    return undefined;
  }
}

function globToRegex(glob: string): string {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") out += ".*";
    else if (c === "?") out += ".";
    else if (c === "[") {
      const close = glob.indexOf("]", i + 2);
      if (close < 0) out += "\\[";
      else {
        let set = glob.slice(i + 1, close).replace(/\\/g, "\\\\");
        if (set.startsWith("!")) set = "^" + set.slice(1);
        out += `[${set}]`;
        i = close;
      }
    } else out += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return out;
}

function patternProblem(part: PatternPart, message: string): DeployError {
  if (part.file !== undefined) return inventoryError("E_INVENTORY_PATTERN", part.file, part.line, message, HINT);
  return new DeployError("E_INVENTORY_PATTERN", message, HINT);
}
