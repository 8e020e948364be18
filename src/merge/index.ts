/**
 * kolla-exact configuration merging: INI files as `merge_configs` merges them and YAML files as
 * `merge_yaml` merges them. Pure functions: callers read the files (and skip missing ones).
 */
export { ORPHAN_SECTION } from "./ini-model.js";
export type { IniDocument, IniSection, IniSections, IniSource, IniValue } from "./ini-model.js";
export { collectIni, parseIni } from "./ini-parse.js";
export { mergeIni, mergeIniDocuments, writeIni } from "./ini-merge.js";
export type { IniWriteOptions } from "./ini-merge.js";
export { mergeYaml, mergeYamlValues } from "./yaml.js";
export type { YamlMergeOptions, YamlSource } from "./yaml.js";
export { loadYaml } from "./yaml-load.js";
export { dumpYaml } from "./yaml-dump.js";
export { YamlTimestamp, isMapping } from "./yaml-model.js";
export type { YamlMapping, YamlScalar, YamlValue } from "./yaml-model.js";
