/**
 * YAML for the inventory, through src/yaml: Ansible's typing (PyYAML's YAML 1.1 after trying JSON),
 * so `y`/`n` and `09` stay strings, floats need a dot, and dates stay their text.
 */
import { isMap, isScalar, keyText, lineOf as nodeLine, parseYaml as parseTyped, toPlain, type Document, type Node, type Pair, type ParsedYaml } from "../yaml/index.js";
import { inventoryError, HINTS } from "./problems.js";
import type { Diagnostics } from "../errors.js";

export interface YamlSource {
  doc: Document.Parsed;
  parsed: ParsedYaml;
  file: string;
}

/** Parses YAML, reporting its problems (with their line) into `diags`; undefined when it has any. */
export function parseYaml(text: string, file: string, diags: Diagnostics): YamlSource | undefined {
  const parsed = parseTyped(text);
  if (parsed.problems.length === 0) return { doc: parsed.doc, parsed, file };
  for (const problem of parsed.problems) {
    const hint = problem.kind === "syntax" ? HINTS.yaml : problem.hint;
    diags.add(inventoryError("E_INVENTORY_YAML", file, problem.line, `YAML: ${problem.message}`, hint));
  }
  return undefined;
}

/** True when the text parses as YAML without errors (used to tell YAML from INI inventories). */
export function yamlSyntaxOk(text: string): boolean {
  return parseTyped(text).problems.every((problem) => problem.kind !== "syntax");
}

export function lineOf(src: YamlSource, node: Node | Pair | null | undefined): number | undefined {
  return nodeLine(src.parsed, node);
}

/** A node's plain JS value (anchors and aliases resolved, merge keys flattened). */
export function toValue(src: YamlSource, node: unknown): unknown {
  if (node === null || node === undefined) return null;
  return toPlain(src.parsed, node);
}

/** A mapping key as the string Ansible would use (Python's `str()` of it); undefined for keys that are not scalars. */
export function keyString(pair: Pair): string | undefined {
  return isScalar(pair.key) ? keyText(pair.key) : undefined;
}

export { isMap, isScalar };
