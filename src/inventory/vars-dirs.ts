/**
 * group_vars/ and host_vars/ beside an inventory source, found and merged as Ansible's
 * host_group_vars plugin does: for a name, the first of `name`, `name.yml`, `name.yaml`, `name.json`
 * that exists; a directory means every YAML file in it (sorted, recursively), later files winning.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import type { Diagnostics } from "../errors.js";
import { HINTS, inventoryError } from "./problems.js";
import type { Vars, VarsLayer } from "./types.js";
import { assignVars } from "./vars.js";
import { isMap, isScalar, lineOf, parseYaml, toValue } from "./yaml-load.js";

const VARS_EXTENSIONS = [".yml", ".yaml", ".json"];

function kindOf(path: string): "file" | "dir" | undefined {
  try {
    const st = statSync(path);
    return st.isDirectory() ? "dir" : st.isFile() ? "file" : undefined;
  } catch {
    return undefined;
  }
}

/** The files that hold variables for `name` under `dir` (e.g. dir=…/group_vars, name=control). */
export function findVarsFiles(dir: string, name: string): string[] {
  for (const ext of ["", ...VARS_EXTENSIONS]) {
    const path = join(dir, name + ext);
    const kind = kindOf(path);
    if (kind === "file") return [path];
    if (kind === "dir") return listVarsDir(path);
  }
  return [];
}

function listVarsDir(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith(".") || entry.endsWith("~")) continue; // hidden files and editor backups
    const path = join(dir, entry);
    const ext = extname(entry);
    const kind = kindOf(path);
    if (kind === "dir" && ext === "") found.push(...listVarsDir(path));
    else if (kind === "file" && (ext === "" || VARS_EXTENSIONS.includes(ext))) found.push(path);
  }
  return found;
}

/** Reads one vars file: a mapping, or nothing when empty. Problems go to `diags`. */
export function readVarsFile(path: string, diags: Diagnostics): Vars | undefined {
  const src = parseYaml(readFileSync(path, "utf8"), path, diags);
  if (src === undefined) return undefined;
  const root = src.doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ""))) return undefined;
  if (!isMap(root)) {
    diags.add(inventoryError("E_INVENTORY_VARS_FILE", path, lineOf(src, root as never), "a variables file must be a YAML mapping", HINTS.yamlShape));
    return undefined;
  }
  return toValue(src, root) as Vars;
}

function loadEntityVars(dir: string, name: string, diags: Diagnostics): Vars | undefined {
  // Names that are absolute paths (chroot-style hosts) are never looked up, as in Ansible.
  if (name.startsWith("/")) return undefined;
  const files = findVarsFiles(dir, name);
  if (files.length === 0) return undefined;
  const merged: Vars = {};
  for (const file of files) assignVars(merged, readVarsFile(file, diags));
  return merged;
}

/** The layer of group_vars/ and host_vars/ under `baseDir` for the given groups and hosts. */
export function loadVarsLayer(baseDir: string, groups: readonly string[], hosts: readonly string[], diags: Diagnostics): VarsLayer {
  const collect = (sub: string, names: readonly string[]): Map<string, Vars> => {
    const result = new Map<string, Vars>();
    const dir = join(baseDir, sub);
    if (kindOf(dir) !== "dir") return result;
    for (const name of names) {
      const vars = loadEntityVars(dir, name, diags);
      if (vars !== undefined) result.set(name, vars);
    }
    return result;
  };
  return { dir: baseDir, groups: collect("group_vars", groups), hosts: collect("host_vars", hosts) };
}
