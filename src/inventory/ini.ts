/**
 * Ansible's INI inventory format, parsed into an InventoryBuilder. Pure: text in, model changes out.
 * Follows Ansible 2.14's ini plugin line by line (including when :children links are made, which
 * decides the order of children), but reports every problem of the file instead of stopping at the first.
 */
import { Diagnostics } from "../errors.js";
import { splitHostPort } from "./address.js";
import type { InventoryBuilder } from "./model.js";
import { HINTS, inventoryError } from "./problems.js";
import { parseIniValue } from "./pyliteral.js";
import { expandHostRange } from "./ranges.js";
import { shlexSplit } from "../shlex.js";

type State = "hosts" | "vars" | "children" | "skip";

interface Pending {
  line: number;
  state: "vars" | "children";
  parents: string[];
}

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/;

export function parseIniInventory(text: string, file: string, inv: InventoryBuilder, diags: Diagnostics): void {
  const parser = new IniParser(file, inv, diags);
  text.split(/\r\n|\r|\n/).forEach((line, index) => parser.parseLine(line, index + 1));
  parser.finish();
}

class IniParser {
  private group = "ungrouped";
  private state: State = "hosts";
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly file: string,
    private readonly inv: InventoryBuilder,
    private readonly diags: Diagnostics,
  ) {}

  parseLine(raw: string, line: number): void {
    const text = raw.trim();
    if (text === "" || text.startsWith("#") || text.startsWith(";")) return;
    const section = SECTION.exec(text);
    if (section !== null) return this.enterSection(section[1]!, section[2], line);
    if (text.startsWith("[") && !/^\[[^\]]*\]:\d+(\s|$)/.test(text)) {
      this.problem("E_INVENTORY_SECTION", line, `invalid section header '${text}'`, HINTS.section);
      this.state = "skip";
      return;
    }
    if (this.state === "hosts") this.parseHostLine(text, line);
    else if (this.state === "vars") this.parseVarLine(text, line);
    else if (this.state === "children") this.parseChildLine(text, line);
  }

  /** Reports groups that were only ever referenced, as Ansible does at the end of the file. */
  finish(): void {
    for (const [name, decl] of this.pending) {
      const message =
        decl.state === "vars"
          ? `section [${name}:vars] is for a group that is never declared`
          : `section [${decl.parents[0]}:children] includes undefined group '${name}'`;
      this.problem("E_INVENTORY_UNDEFINED_GROUP", decl.line, message, HINTS.undefinedGroup);
    }
  }

  private enterSection(name: string, kind: string | undefined, line: number): void {
    const state = kind ?? "hosts";
    if (state !== "hosts" && state !== "vars" && state !== "children") {
      this.problem("E_INVENTORY_SECTION", line, `section [${name}:${state}] has unknown type '${state}'`, HINTS.section);
      this.state = "skip";
      return;
    }
    this.group = name;
    this.state = state;
    if (!this.inv.hasGroup(name)) {
      // [x:vars] alone does not declare a group; remember it and complain at the end if nothing does.
      if (state === "vars" && !this.pending.has(name)) this.pending.set(name, { line, state, parents: [] });
      this.inv.addGroup(name);
    }
    const waiting = this.pending.get(name);
    if (waiting !== undefined && state !== "vars") {
      if (waiting.state === "children") this.linkPendingChildren(name, line);
      else this.pending.delete(name);
    }
  }

  private linkPendingChildren(group: string, line: number): void {
    const waiting = this.pending.get(group)!;
    this.pending.delete(group);
    for (const parent of waiting.parents) {
      this.link(parent, group, line);
      if (this.pending.get(parent)?.state === "children") this.linkPendingChildren(parent, line);
    }
  }

  private parseHostLine(text: string, line: number): void {
    const split = shlexSplit(text, { comments: true });
    if (!split.ok) return this.problem("E_INVENTORY_HOST", line, `cannot split host line: ${split.problem}`, HINTS.hostVars);
    const [pattern = "", ...assignments] = split.tokens;
    const hosts = this.expandHostPattern(pattern, line);
    const vars: Array<[string, unknown]> = [];
    for (const token of assignments) {
      const eq = token.indexOf("=");
      if (eq < 0) {
        this.problem("E_INVENTORY_HOST", line, `expected key=value host variable, got '${token}'`, HINTS.hostVars);
        return;
      }
      vars.push([token.slice(0, eq), parseIniValue(token.slice(eq + 1))]);
    }
    if (hosts === undefined) return;
    for (const host of hosts.names) {
      this.inv.addHost(host, this.group, hosts.port);
      for (const [key, value] of vars) this.inv.setHostVar(host, key, value);
    }
  }

  private expandHostPattern(pattern: string, line: number): { names: string[]; port: number | undefined } | undefined {
    const { host, port } = splitHostPort(pattern);
    if (pattern.trim().endsWith(":") && port === undefined) {
      this.problem("E_INVENTORY_HOST", line, `host '${pattern}' ends in ':' (reserved for a port)`, HINTS.hostVars);
      return undefined;
    }
    if (host === "" || host === "---") {
      const why = host === "" ? "empty host name" : "'---' is not a host (is this a YAML file with an .ini name?)";
      this.problem("E_INVENTORY_HOST", line, why, HINTS.hostVars);
      return undefined;
    }
    const expanded = expandHostRange(host);
    if (!expanded.ok) {
      this.problem("E_INVENTORY_RANGE", line, `bad host range: ${expanded.problem}`, HINTS.range);
      return undefined;
    }
    return { names: expanded.hosts, port };
  }

  private parseVarLine(text: string, line: number): void {
    const eq = text.indexOf("=");
    if (eq < 0) {
      this.problem("E_INVENTORY_VARS", line, `expected key=value in [${this.group}:vars], got '${text}'`, HINTS.vars);
      return;
    }
    const key = text.slice(0, eq).trim();
    if (key === "") return this.problem("E_INVENTORY_VARS", line, `missing variable name before '='`, HINTS.vars);
    this.inv.setGroupVar(this.group, key, parseIniValue(text.slice(eq + 1).trim()));
  }

  private parseChildLine(text: string, line: number): void {
    const m = GROUP_NAME.exec(text);
    if (m === null) {
      this.problem("E_INVENTORY_CHILDREN", line, `expected a group name in [${this.group}:children], got '${text}'`, HINTS.children);
      return;
    }
    const child = m[1]!;
    if (this.inv.hasGroup(child)) return this.link(this.group, child, line);
    const waiting = this.pending.get(child);
    if (waiting === undefined) this.pending.set(child, { line, state: "children", parents: [this.group] });
    else waiting.parents.push(this.group);
  }

  private link(parent: string, child: string, line: number): void {
    const loop = this.inv.addChild(parent, child);
    if (loop !== undefined) this.problem("E_INVENTORY_LOOP", line, loop, HINTS.loop);
  }

  private problem(code: string, line: number, message: string, hint: string): void {
    this.diags.add(inventoryError(code, this.file, line, message, hint));
  }
}
