/**
 * The yaml library enters the inventory here. Ansible reads YAML with PyYAML (YAML 1.1), so the
 * schema is YAML 1.1 narrowed to PyYAML's rules: `y`/`n` stay strings, floats need a dot,
 * `09` is a string, and dates stay strings (Ansible prints them back as the same text).
 */
import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node, type Pair, type Tags } from "yaml";
import { inventoryError, HINTS } from "./problems.js";
import type { Diagnostics } from "../errors.js";

type Tag = { tag: string; format?: string; test?: RegExp; [k: string]: unknown };

const PY_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const PY_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;
const PY_DECIMAL = /^[-+]?(?:0|[1-9][0-9_]*)$/;
const PY_EXP_FLOAT = /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*[eE][-+][0-9]+$/;

function pythonLikeTags(tags: Tags): Tags {
  return (tags as unknown as Tag[])
    .filter((t) => t.tag !== "tag:yaml.org,2002:timestamp")
    .map((t) => {
      if (t.tag === "tag:yaml.org,2002:bool") return { ...t, test: t.test?.test("yes") ? PY_TRUE : PY_FALSE };
      if (t.tag === "tag:yaml.org,2002:int" && t.format === undefined) return { ...t, test: PY_DECIMAL };
      if (t.tag === "tag:yaml.org,2002:float" && t.format === "EXP") return { ...t, test: PY_EXP_FLOAT };
      return t;
    }) as unknown as Tags;
}

export interface YamlSource {
  doc: Document.Parsed;
  lines: LineCounter;
  file: string;
}

/** Parses YAML, reporting syntax errors (with their line) into `diags`; undefined when it has errors. */
export function parseYaml(text: string, file: string, diags: Diagnostics): YamlSource | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(text, { version: "1.1", customTags: pythonLikeTags, uniqueKeys: false, lineCounter: lines });
  if (doc.errors.length === 0) return { doc, lines, file };
  for (const error of doc.errors) {
    const message = error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    diags.add(inventoryError("E_INVENTORY_YAML", file, error.linePos?.[0].line, `YAML: ${message}`, HINTS.yaml));
  }
  return undefined;
}

/** True when the text parses as YAML without errors (used to tell YAML from INI inventories). */
export function yamlSyntaxOk(text: string): boolean {
  return parseDocument(text, { version: "1.1", customTags: pythonLikeTags, uniqueKeys: false }).errors.length === 0;
}

export function lineOf(src: YamlSource, node: Node | Pair | null | undefined): number | undefined {
  const target = node && "range" in node ? node : node && "key" in node ? (node.key as Node | null) : undefined;
  const range = target?.range;
  return range ? src.lines.linePos(range[0]).line : undefined;
}

/** A node's plain JS value (anchors and aliases resolved). */
export function toValue(src: YamlSource, node: unknown): unknown {
  if (node === null || node === undefined) return null;
  return (node as Node).toJS(src.doc, { maxAliasCount: -1 });
}

/** A mapping key as the string Ansible would use; undefined for keys that are not scalars. */
export function keyString(pair: Pair): string | undefined {
  if (!isScalar(pair.key)) return undefined;
  const v = pair.key.value;
  return v === null ? "null" : typeof v === "string" ? v : String(v);
}

export { isMap, isScalar };
