/**
 * Ansible's YAML inventory format (`all: {hosts, children, vars}`), parsed into an InventoryBuilder.
 * Pure. Keys are handled in file order, as Ansible's yaml plugin does, which fixes group and host order.
 * Where Ansible only warns (an unknown key in a group), we report an error: it is nearly always a typo.
 */
import type { Diagnostics } from "../errors.js";
import { splitHostPort } from "./address.js";
import type { InventoryBuilder } from "./model.js";
import { HINTS, inventoryError } from "./problems.js";
import { expandHostRange } from "./ranges.js";
import { isMap, isScalar, keyString, lineOf, parseYaml, toValue, type YamlSource } from "./yaml-load.js";
import type { Pair, YAMLMap } from "../yaml/index.js";

const SECTIONS = new Set(["vars", "children", "hosts"]);

export function parseYamlInventory(text: string, file: string, inv: InventoryBuilder, diags: Diagnostics): void {
  const src = parseYaml(text, file, diags);
  if (src === undefined) return;
  const root = src.doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ""))) return;
  if (!isMap(root)) return shapeProblem(src, diags, root, "a YAML inventory must be a mapping of group names");
  if (root.items.some((p) => keyString(p) === "plugin")) {
    return shapeProblem(src, diags, root, "inventory plugin configuration files are not supported");
  }
  const parser = new YamlInventoryParser(src, inv, diags);
  for (const pair of root.items) parser.parseGroup(pair);
}

class YamlInventoryParser {
  constructor(
    private readonly src: YamlSource,
    private readonly inv: InventoryBuilder,
    private readonly diags: Diagnostics,
  ) {}

  /** Returns the group's name once it exists in the inventory. */
  parseGroup(pair: Pair): string | undefined {
    const name = keyString(pair);
    const body = pair.value;
    if (name === undefined || name === "") return this.problem(pair, "a group name must be a non-empty string");
    const isNull = body === null || (isScalar(body) && body.value === null);
    if (!isNull && !isMap(body)) return this.problem(pair, `group '${name}' must be a mapping with hosts, children or vars`);
    this.inv.addGroup(name);
    if (isNull) return name;
    for (const section of (body as YAMLMap).items) this.parseSection(name, section);
    return name;
  }

  private parseSection(group: string, section: Pair): void {
    const key = keyString(section) ?? "";
    if (!SECTIONS.has(key)) {
      this.problem(section, `unexpected key '${key}' in group '${group}' (only hosts, children and vars are valid)`);
      return;
    }
    const value = section.value;
    if (value === null || (isScalar(value) && value.value === null)) return;
    // Ansible accepts a bare string where it expects a mapping: `hosts: web01` means {web01: null}.
    const entries: Pair[] | undefined = isMap(value) ? value.items : undefined;
    if (isScalar(value) && typeof value.value === "string") return this.parseEntry(group, key, value.value, null, section);
    if (entries === undefined) return void this.problem(section, `'${key}' of group '${group}' must be a mapping`);
    for (const entry of entries) this.parseEntry(group, key, keyString(entry), entry.value, entry);
  }

  private parseEntry(group: string, section: string, name: string | undefined, value: unknown, at: Pair): void {
    if (name === undefined) return void this.problem(at, `'${section}' of group '${group}' needs string keys`);
    if (section === "vars") return this.inv.setGroupVar(group, name, toValue(this.src, value));
    if (section === "children") {
      const child = this.parseGroup({ key: (at as Pair).key, value } as Pair);
      if (child !== undefined) this.link(group, child, at);
      return;
    }
    this.parseHosts(group, name, value, at);
  }

  private parseHosts(group: string, pattern: string, value: unknown, at: Pair): void {
    if (isScalar(at.key) && typeof at.key.value !== "string") {
      return void this.problem(at, `host '${pattern}' must be a string; quote numbers`);
    }
    const vars = value === null ? {} : toValue(this.src, value);
    if (vars !== null && (typeof vars !== "object" || Array.isArray(vars))) {
      return void this.problem(at, `variables of host '${pattern}' must be a mapping`);
    }
    const { host, port } = splitHostPort(pattern);
    const expanded = expandHostRange(host);
    if (!expanded.ok) {
      this.diags.add(inventoryError("E_INVENTORY_RANGE", this.src.file, lineOf(this.src, at), `bad host range: ${expanded.problem}`, HINTS.range));
      return;
    }
    for (const name of expanded.hosts) {
      this.inv.addHost(name, group, port);
      for (const [k, v] of Object.entries(vars ?? {})) this.inv.setHostVar(name, k, v);
    }
  }

  private link(parent: string, child: string, at: Pair): void {
    const loop = this.inv.addChild(parent, child);
    if (loop !== undefined) this.diags.add(inventoryError("E_INVENTORY_LOOP", this.src.file, lineOf(this.src, at), loop, HINTS.loop));
  }

  private problem(at: Pair, message: string): undefined {
    this.diags.add(inventoryError("E_INVENTORY_YAML", this.src.file, lineOf(this.src, at), message, HINTS.yamlShape));
    return undefined;
  }
}

function shapeProblem(src: YamlSource, diags: Diagnostics, node: unknown, message: string): void {
  diags.add(inventoryError("E_INVENTORY_YAML", src.file, lineOf(src, node as Pair), message, HINTS.yamlShape));
}
