/**
 * Reading inventory sources from disk: files, directories of files (as Ansible walks them) and
 * `host1,host2` lists, then group_vars/ and host_vars/ beside each source. The only I/O of the module;
 * parsing itself is pure (ini.ts, yaml-inventory.ts).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, extname, isAbsolute, resolve } from "node:path";
import { Diagnostics } from "../errors.js";
import { splitHostPort } from "./address.js";
import { parseIniInventory } from "./ini.js";
import { InventoryBuilder } from "./model.js";
import { HINTS, inventoryError } from "./problems.js";
import type { Inventory, VarsLayer } from "./types.js";
import { loadVarsLayer } from "./vars-dirs.js";
import { parseYamlInventory } from "./yaml-inventory.js";
import { yamlSyntaxOk } from "./yaml-load.js";

/** Entries Ansible skips in an inventory directory: hidden, vars dirs, and its default ignore extensions. */
const IGNORED_NAMES = /^\.|^host_vars$|^group_vars$|^vars_plugins$/;
const IGNORED_EXTENSIONS = [".pyc", ".pyo", ".swp", ".bak", "~", ".rpm", ".md", ".txt", ".rst", ".orig", ".ini", ".cfg", ".retry"];
const YAML_EXTENSIONS = [".yml", ".yaml", ".json"];

export function loadInventory(paths: readonly string[], opts: { cwd?: string } = {}): Inventory {
  const cwd = opts.cwd ?? process.cwd();
  const diags = new Diagnostics();
  const builder = new InventoryBuilder();
  const sources: string[] = [];
  const varsDirs: string[] = [];
  if (paths.length === 0) {
    diags.add(inventoryError("E_INVENTORY_MISSING", "<command line>", undefined, "no inventory given", "pass -i FILE or -i DIR"));
  }
  for (const given of paths) {
    const path = isAbsolute(given) ? given : resolve(cwd, given);
    const kind = statKind(path);
    if (kind === undefined && given.includes(",")) {
      parseHostList(given, builder);
      continue;
    }
    if (kind === undefined) {
      diags.add(inventoryError("E_INVENTORY_MISSING", given, undefined, "inventory source not found", HINTS.missing));
      continue;
    }
    sources.push(path);
    varsDirs.push(kind === "dir" ? path : dirname(path));
    if (kind === "dir") parseDirectory(path, builder, diags);
    else parseFile(path, builder, diags);
  }
  diags.throwIfAny();
  builder.reconcile();
  const layers: VarsLayer[] = varsDirs.map((dir) => loadVarsLayer(dir, builder.groupNames(), builder.hostNames(), diags));
  diags.throwIfAny();
  return builder.build(sources, layers);
}

function statKind(path: string): "file" | "dir" | undefined {
  try {
    const st = statSync(path);
    return st.isDirectory() ? "dir" : "file";
  } catch {
    return undefined;
  }
}

/** Ansible's host_list source: `-i host1,host2:2222,` puts those hosts in `ungrouped`. */
function parseHostList(list: string, builder: InventoryBuilder): void {
  for (const item of list.split(",").map((s) => s.trim()).filter((s) => s !== "")) {
    const { host, port } = splitHostPort(item);
    builder.addHost(host, "ungrouped", port);
  }
}

function parseDirectory(dir: string, builder: InventoryBuilder, diags: Diagnostics): void {
  for (const entry of readdirSync(dir).sort()) {
    if (IGNORED_NAMES.test(entry) || IGNORED_EXTENSIONS.some((ext) => entry.endsWith(ext))) continue;
    const path = resolve(dir, entry);
    const kind = statKind(path);
    if (kind === "dir") parseDirectory(path, builder, diags);
    else if (kind === "file") parseFile(path, builder, diags);
  }
}

/** Picks the format as Ansible's plugin order does: YAML for .yml/.yaml/.json or YAML-looking files, else INI. */
export function parseFile(path: string, builder: InventoryBuilder, diags: Diagnostics): void {
  const text = readFileSync(path, "utf8");
  if (detectFormat(path, text) === "yaml") parseYamlInventory(text, path, builder, diags);
  else parseIniInventory(text, path, builder, diags);
}

/** Exported for tests. An extension-less file is YAML when it parses as a YAML mapping or starts like one. */
export function detectFormat(path: string, text: string): "yaml" | "ini" {
  const ext = extname(path);
  if (YAML_EXTENSIONS.includes(ext)) return "yaml";
  if (ext !== "") return "ini";
  const firstLine = text.split(/\r?\n/).find((l) => l.trim() !== "" && !/^\s*[#;]/.test(l)) ?? "";
  if (firstLine.startsWith("---") || /^[^\s[=]+:\s*(#.*)?$/.test(firstLine)) {
    return "yaml";
  }
  return yamlSyntaxOk(text) && /^\S[^=]*:(\s|$)/m.test(firstLine) ? "yaml" : "ini";
}
