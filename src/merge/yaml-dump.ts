/**
 * Writes a YamlValue like PyYAML's `yaml.dump(value, default_flow_style=False)`: block style,
 * keys sorted, lists under a key not indented (`key:\n- a`), empty collections as `{}`/`[]`,
 * 2-space indentation, lines folded at 80 columns, non-ASCII escaped in double quotes.
 * Shared (aliased) nodes are written out in full rather than as PyYAML's `&id001` anchors.
 */
import { chooseStyle, representScalar } from "./yaml-scalar.js";
import { YamlTimestamp, isMapping, type YamlMapping, type YamlScalar, type YamlValue } from "./yaml-model.js";
import { YamlWriter } from "./yaml-writer.js";

const INDENT_STEP = 2;
/**
 * PyYAML writes a key as `? key` when it is empty, multi-line, or when its text plus its tag's
 * short form (`!!str`, counted even though it is never written) reaches 128 characters.
 */
const MAX_SIMPLE_KEY = 128;

/** Where a node sits: the value of a mapping key, an item of a list, or the document root. */
type Context = "mapping" | "sequence" | "root";

export function dumpYaml(value: YamlValue): string {
  const writer = new YamlWriter();
  new Dumper(writer).node(value, undefined, "root");
  writer.indent(0);
  return writer.text();
}

class Dumper {
  readonly #w: YamlWriter;

  constructor(writer: YamlWriter) {
    this.#w = writer;
  }

  /** `indent` is the enclosing collection's indentation (undefined at the root). */
  node(value: YamlValue, indent: number | undefined, context: Context): void {
    if (isMapping(value)) {
      if (value.size === 0) this.#emptyFlow("{", "}");
      else this.#mapping(value, indent === undefined ? 0 : indent + INDENT_STEP);
    } else if (Array.isArray(value)) {
      if (value.length === 0) this.#emptyFlow("[", "]");
      else this.#sequence(value, this.#sequenceIndent(indent, context));
    } else {
      this.#scalar(value, indent === undefined ? INDENT_STEP : indent + INDENT_STEP, false);
    }
  }

  /** A list that is the value of a mapping key is not indented relative to the key. */
  #sequenceIndent(indent: number | undefined, context: Context): number {
    if (indent === undefined) return 0;
    return context === "mapping" && !this.#w.indention ? indent : indent + INDENT_STEP;
  }

  #emptyFlow(open: string, close: string): void {
    this.#w.indicator(open, true, true);
    this.#w.indicator(close, false);
  }

  #mapping(mapping: YamlMapping, indent: number): void {
    for (const [key, value] of sortedEntries(mapping)) {
      this.#w.indent(indent);
      if (isSimpleKey(key)) {
        this.#scalar(key, indent + INDENT_STEP, true);
        this.#w.indicator(":", false);
      } else {
        this.#w.indicator("?", true, false, true);
        this.#scalar(key, indent + INDENT_STEP, false);
        this.#w.indent(indent);
        this.#w.indicator(":", true, false, true);
      }
      this.node(value, indent, "mapping");
    }
  }

  #sequence(items: readonly YamlValue[], indent: number): void {
    for (const item of items) {
      this.#w.indent(indent);
      this.#w.indicator("-", true, false, true);
      this.node(item, indent, "sequence");
    }
  }

  #scalar(value: YamlScalar, indent: number, simpleKey: boolean): void {
    const { text, implicit } = representScalar(value);
    const style = chooseStyle(text, implicit, simpleKey);
    const split = !simpleKey;
    if (style === "plain") this.#w.plain(text, indent, split);
    else if (style === "single") this.#w.singleQuoted(text, indent, split);
    else this.#w.doubleQuoted(text, indent, split);
  }
}

function isSimpleKey(key: YamlScalar): boolean {
  const { text } = representScalar(key);
  const length = [...text].length + shortTag(key).length;
  return length < MAX_SIMPLE_KEY && text !== "" && !/[\n\x85\u2028\u2029]/.test(text);
}

function shortTag(key: YamlScalar): string {
  if (typeof key === "string") return "!!str";
  if (key === null) return "!!null";
  if (typeof key === "boolean") return "!!bool";
  if (typeof key === "bigint") return "!!int";
  return key instanceof YamlTimestamp ? "!!timestamp" : "!!float";
}

/**
 * Python's `sorted(mapping.items())`: strings by code point, numbers (and booleans, which are ints
 * in Python) numerically. Keys Python cannot compare with each other (a string and a number, or
 * None) make PyYAML give up sorting and keep insertion order.
 */
function sortedEntries(mapping: YamlMapping): [YamlScalar, YamlValue][] {
  const entries = [...mapping];
  const keys = entries.map(([key]) => key);
  if (keys.every((key) => typeof key === "string")) return entries.sort(([a], [b]) => compareCodePoints(a as string, b as string));
  if (keys.every(isNumeric)) return entries.sort(([a], [b]) => compareNumbers(a, b));
  if (keys.every((key) => key instanceof YamlTimestamp && !key.text.includes(" "))) {
    return entries.sort(([a], [b]) => compareCodePoints((a as YamlTimestamp).text, (b as YamlTimestamp).text));
  }
  return entries;
}

function isNumeric(key: YamlScalar): boolean {
  return typeof key === "bigint" || typeof key === "number" || typeof key === "boolean";
}

function compareNumbers(a: YamlScalar, b: YamlScalar): number {
  const toComparable = (v: YamlScalar): bigint | number => (typeof v === "boolean" ? (v ? 1n : 0n) : (v as bigint | number));
  const [x, y] = [toComparable(a), toComparable(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareCodePoints(a: string, b: string): number {
  const [x, y] = [[...a], [...b]];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const diff = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (diff !== 0) return diff;
  }
  return x.length - y.length;
}
