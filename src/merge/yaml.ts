/**
 * kolla's merge_yaml: sources are loaded like PyYAML's safe_load, deep-merged in order
 * (Utils.update_nested_conf) and written like `yaml.dump(default_flow_style=False)`.
 */
import { DeployError } from "../errors.js";
import { dumpYaml } from "./yaml-dump.js";
import { loadYaml, type YamlSource } from "./yaml-load.js";
import { isMapping, type YamlMapping, type YamlScalar, type YamlValue } from "./yaml-model.js";

export type { YamlSource } from "./yaml-load.js";

/** merge_yaml's task options. */
export interface YamlMergeOptions {
  /** Concatenate a list present in both documents instead of replacing it (merge_yaml `extend_lists`). */
  extendLists?: boolean;
}

/** Merges YAML sources in order and returns the text kolla's merge_yaml would write. */
export function mergeYaml(sources: readonly YamlSource[], opts: YamlMergeOptions = {}): string {
  let merged: YamlMapping = new Map();
  for (const source of sources) {
    merged = mergeYamlValues(merged, topLevelMapping(source), { ...opts, path: source.path });
  }
  return dumpYaml(merged);
}

/** kolla uses `safe_load(...) or {}`: an empty (or falsy) document counts as an empty mapping. */
function topLevelMapping(source: YamlSource): YamlMapping {
  const value = loadYaml(source);
  if (isMapping(value)) return value;
  if (isPythonFalsy(value)) return new Map();
  throw new DeployError("E_YAML_TOP_LEVEL", "Cannot merge YAML: the top level is not a mapping",
    "write the file as 'key: value' lines at the top level", { where: { file: source.path, line: 1 } });
}

function isPythonFalsy(value: YamlValue): boolean {
  if (Array.isArray(value)) return value.length === 0;
  return value === null || value === false || value === 0n || value === 0 || value === "";
}

/**
 * Deep merge of `update` onto `base` without mutating either: mappings merge key by key, anything
 * else in `update` replaces what `base` had, except that with `extendLists` a list in `base` is
 * extended by the list in `update` (which must then be a list).
 */
export function mergeYamlValues(
  base: YamlMapping,
  update: YamlMapping,
  opts: YamlMergeOptions & { path?: string } = {},
  keyPath: readonly string[] = [],
): YamlMapping {
  const result: YamlMapping = new Map(base);
  for (const [key, value] of update) {
    const old = result.get(key);
    const here = [...keyPath, String(key)];
    if (isMapping(value)) result.set(key, mergeIntoOld(old, value, opts, here));
    else if (opts.extendLists === true && Array.isArray(old)) result.set(key, [...old, ...requireList(value, opts, here)]);
    else result.set(key, value);
  }
  return result;
}

function mergeIntoOld(old: YamlValue | undefined, value: YamlMapping, opts: YamlMergeOptions & { path?: string }, keyPath: string[]): YamlValue {
  if (old === undefined || isMapping(old)) return mergeYamlValues(old ?? new Map(), value, opts, keyPath);
  // kolla keeps the old value for an empty mapping and crashes for any other; we explain instead.
  if (value.size === 0) return old;
  throw new DeployError("E_YAML_MERGE_TYPE", `Cannot merge YAML key "${keyPath.join(".")}": a mapping cannot be merged into a value of type \"${typeName(old)}\"`,
    "make the key a mapping in every file, or give the same type everywhere", { where: { file: opts.path ?? "<yaml>", key: keyPath.join(".") } });
}

function requireList(value: YamlValue, opts: { path?: string }, keyPath: string[]): YamlValue[] {
  if (Array.isArray(value)) return value;
  throw new DeployError("E_YAML_EXTEND_LIST", `Cannot merge YAML key "${keyPath.join(".")}": expected a list to extend the earlier list, got type \"${typeName(value)}\"`,
    "with extend_lists the override must be a list too, for example '- item'", { where: { file: opts.path ?? "<yaml>", key: keyPath.join(".") } });
}

function typeName(value: YamlValue | YamlScalar): string {
  if (Array.isArray(value)) return "list";
  if (isMapping(value)) return "mapping";
  if (value === null) return "null";
  return typeof value === "bigint" ? "int" : typeof value === "number" ? "float" : typeof value === "string" ? "string" : typeof value;
}
