/**
 * The one way YAML enters kolla-deploy (the `yaml` package is imported only under src/yaml/), with
 * one scalar typing: Ansible's. Ansible reads YAML with PyYAML's YAML 1.1 resolver, after trying JSON:
 * `yes`/`on` are booleans and `y`/`n` strings, `017` is 15 and `09` a string, `1e5` is a string
 * (a float needs a dot), `0x1F` is 31, `190:20:30` is 685230, `~` and an empty value are null,
 * `2001-12-14` is a date (kept as that text). tests/unit/yaml/ansible-typing.test.ts compares
 * this with Ansible's own loader, file by file.
 *
 * parseYaml gives the `yaml` Document (for file:line, and for genpwd's in-place edits) with every
 * scalar's `value` already typed; toPlain turns it into plain data; buildTree into another model.
 */
export { parseYaml, lineOf, plainScalar, typedScalar, MAX_ALIAS_COUNT } from "./document.js";
export type { ParseOptions, ParsedYaml, YamlProblem } from "./document.js";
export { buildTree, keyText, toPlain, PLAIN } from "./tree.js";
export type { TreeAdapter } from "./tree.js";
export { scalarText, stringifyYaml } from "./stringify.js";
export { implicitTag } from "./resolve.js";
export { pyFloatRepr, pyKeyIdentity, pyStr } from "./python.js";
export type { Loader, Typed } from "./tags.js";
export type { PyScalar } from "./types.js";

// The syntax tree, for readers that report file:line per node.
export { isAlias, isMap, isScalar, isSeq, LineCounter } from "yaml";
export type { Document, Node, Pair, Scalar, YAMLMap, YAMLSeq } from "yaml";
