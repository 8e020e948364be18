/**
 * What `ansible-inventory --list`, `--graph` and `--host` print, rebuilt from our model. Pure.
 * Values in `--graph --vars` are shown as Python's repr would show them, like Ansible does.
 */
import type { Inventory, Vars } from "./types.js";
import { compareCodeUnits, groupVars, hostsInGroup, hostVars, setVar } from "./vars.js";

/** The structure of `ansible-inventory --list`: groups with hosts/children, and `_meta.hostvars`. */
export function toAnsibleList(inv: Inventory, opts: { hosts?: readonly string[] } = {}): unknown {
  const result: Record<string, unknown> = {};
  const seen = new Set<string>();
  const formatGroup = (name: string): void => {
    const group = inv.groups.get(name);
    if (group === undefined) return;
    const entry: Record<string, unknown> = {};
    if (name !== "all" && group.hosts.length > 0) entry.hosts = [...group.hosts];
    if (group.children.length > 0) entry.children = [...group.children];
    for (const child of group.children) {
      if (seen.has(child)) continue;
      formatGroup(child);
      seen.add(child);
    }
    // Ansible drops groups with neither hosts nor children from the listing.
    if (Object.keys(entry).length > 0) setVar(result, name, entry);
  };
  formatGroup("all");
  const hostvars: Record<string, unknown> = {};
  for (const host of opts.hosts ?? hostsInGroup(inv, "all")) {
    const vars = hostVars(inv, host);
    if (Object.keys(vars).length > 0) setVar(hostvars, host, sortKeysDeep(vars));
  }
  return sortKeysDeep({ _meta: { hostvars }, ...result });
}

/** `ansible-inventory --graph [group] [--vars]`. */
export function toAnsibleGraph(inv: Inventory, opts: { vars?: boolean; group?: string } = {}): string {
  return graphGroup(inv, opts.group ?? "all", 0, opts.vars ?? false).join("\n");
}

function graphGroup(inv: Inventory, name: string, depth: number, showVars: boolean): string[] {
  const group = inv.groups.get(name);
  if (group === undefined) return [];
  const lines = [graphLine(`@${name}:`, depth)];
  for (const child of group.children) lines.push(...graphGroup(inv, child, depth + 1, showVars));
  if (name !== "all") {
    for (const host of group.hosts) {
      lines.push(graphLine(host, depth + 1));
      if (showVars) lines.push(...graphVars(hostVars(inv, host), depth + 2));
    }
  }
  if (showVars) lines.push(...graphVars(groupVars(inv, name), depth + 1));
  return lines;
}

function graphLine(text: string, depth: number): string {
  return depth === 0 ? text : `${"  |".repeat(depth)}--${text}`;
}

function graphVars(vars: Vars, depth: number): string[] {
  return Object.keys(vars)
    .sort(compareCodeUnits)
    .map((k) => graphLine(`{${k} = ${pythonStr(vars[k])}}`, depth));
}

/** Python's str(): strings as they are, everything else as repr. */
export function pythonStr(value: unknown): string {
  return typeof value === "string" ? value : pythonRepr(value);
}

/** Python's repr() of a JSON-like value (floats that are whole numbers print without `.0`: JS cannot tell). */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : value > 0 ? "inf" : value < 0 ? "-inf" : "nan";
  if (typeof value === "string") return pythonStringRepr(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(", ")}]`;
  if (value instanceof Date) return pythonStringRepr(value.toISOString());
  const entries = Object.entries(value as Record<string, unknown>);
  return `{${entries.map(([k, v]) => `${pythonStringRepr(k)}: ${pythonRepr(v)}`).join(", ")}}`;
}

function pythonStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\" || ch === quote) out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return quote + out + quote;
}

/** JSON with keys sorted at every level, as Ansible's dump (sort_keys=True) prints it. */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value === null || typeof value !== "object" || value instanceof Date) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort(compareCodeUnits)) setVar(sorted, key, sortKeysDeep((value as Record<string, unknown>)[key]));
  return sorted;
}

/** Ansible prints JSON with four-space indentation. */
export function toAnsibleJson(value: unknown): string {
  return JSON.stringify(sortKeysDeep(value), null, 4);
}
