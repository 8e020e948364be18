/**
 * Loads YAML text the way PyYAML's `yaml.safe_load` does, into YamlValue. The `yaml` library only
 * tokenizes and builds nodes (failsafe schema: every scalar stays text); typing follows PyYAML's
 * YAML 1.1 rules (yaml-resolve.ts). The `yaml` npm library enters the merge module only here.
 */
import { Alias, isMap, isScalar, isSeq, parseDocument, type Document, type Node, type Pair, type Scalar } from "yaml";
import { DeployError } from "../errors.js";
import { constructScalar, implicitType, type ImplicitType } from "./yaml-resolve.js";
import { isMapping, type YamlMapping, type YamlScalar, type YamlValue } from "./yaml-model.js";

const TAG_PREFIX = "tag:yaml.org,2002:";

/** One YAML input: where it came from (for errors) and its text. */
export interface YamlSource {
  path: string;
  text: string;
}

/** Parses one YAML source; an empty document is null. Throws a DeployError naming file:line. */
export function loadYaml(source: YamlSource): YamlValue {
  const document = parseDocument(source.text, { version: "1.1", schema: "failsafe", uniqueKeys: false, merge: false });
  const [error] = document.errors;
  if (error !== undefined) {
    throw new DeployError("E_YAML_PARSE", `Cannot parse YAML: ${describeParseError(error)}`,
      "fix the YAML syntax at that line", { where: { file: source.path, line: error.linePos?.[0].line } });
  }
  return new YamlBuilder(source, document).value(document.contents);
}

/** The library's message without its own position suffix (we name file:line ourselves). */
function describeParseError(error: { code: string; message: string }): string {
  if (error.code === "MULTIPLE_DOCS") return "the file holds more than one YAML document (kolla reads exactly one)";
  return error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}

class YamlBuilder {
  readonly #source: YamlSource;
  readonly #document: Document;
  /** Aliases resolve to the anchored node; each node is built once, as PyYAML does. */
  readonly #built = new Map<Node, YamlValue>();

  constructor(source: YamlSource, document: Document) {
    this.#source = source;
    this.#document = document;
  }

  value(node: unknown): YamlValue {
    if (node === null || node === undefined) return null;
    if (node instanceof Alias) return this.value(node.resolve(this.#document));
    const cached = this.#built.get(node as Node);
    if (cached !== undefined) return cached;
    let built: YamlValue;
    if (isScalar(node)) built = this.#scalar(node);
    else if (isSeq(node)) built = node.items.map((item) => this.value(item));
    else if (isMap(node)) built = this.#mapping(node.items as Pair[]);
    else throw this.#error(node as Node, "E_YAML_NODE", "Cannot load YAML: unsupported node", "use plain mappings, lists and scalars");
    this.#built.set(node as Node, built);
    return built;
  }

  #scalar(node: Scalar): YamlScalar {
    const text = String(node.value);
    const tag = node.tag;
    let type: ImplicitType;
    if (tag !== undefined && tag !== "!") type = tagType(tag);
    else type = node.type === "PLAIN" && tag === undefined ? implicitType(text) : "str";
    const value = type === "merge" || type === "value" ? undefined : constructScalar(type, text);
    if (value === undefined) {
      // The scalar's text is left out: it may be a secret.
      throw this.#error(node, "E_YAML_TAG", `Cannot load YAML scalar with tag "${tag ?? type}": PyYAML's safe_load has no constructor for it`,
        "quote the value to make it a string, or use a standard YAML type");
    }
    return value;
  }

  /** PyYAML's flatten_mapping: `<<` merges in other mappings; the mapping's own keys win. */
  #mapping(pairs: readonly Pair[]): YamlMapping {
    const merged: [YamlScalar, YamlValue][] = [];
    const own: [YamlScalar, YamlValue][] = [];
    for (const pair of pairs) {
      if (isScalar(pair.key) && pair.key.type === "PLAIN" && pair.key.tag === undefined && pair.key.value === "<<") {
        merged.unshift(...this.#mergeSources(pair).flatMap((mapping) => [...mapping]));
      } else {
        own.push([this.#key(pair.key), this.value(pair.value)]);
      }
    }
    return new Map([...merged, ...own]);
  }

  #mergeSources(pair: Pair): YamlMapping[] {
    const value = this.value(pair.value);
    // Earlier mappings in a `<<: [*a, *b]` list win, so they are applied last.
    const sources = Array.isArray(value) ? [...value].reverse() : [value];
    if (!sources.every(isMapping)) {
      throw this.#error(pair.value as Node, "E_YAML_MERGE_KEY", "Cannot load YAML merge key \"<<\": it needs a mapping or a list of mappings",
        "point << at an anchored mapping, for example <<: *defaults");
    }
    return sources as YamlMapping[];
  }

  #key(node: unknown): YamlScalar {
    const key = this.value(node);
    if (Array.isArray(key) || isMapping(key)) {
      throw this.#error(node as Node, "E_YAML_KEY", "Cannot load YAML mapping: a key is a list or a mapping", "use a scalar key");
    }
    return key;
  }

  #error(node: Node | undefined, code: string, message: string, hint: string): DeployError {
    const offset = node?.range?.[0];
    const line = offset === undefined ? undefined : this.#source.text.slice(0, offset).split(/\r\n|\r|\n/).length;
    return new DeployError(code, message, hint, { where: { file: this.#source.path, line } });
  }
}

function tagType(tag: string): ImplicitType {
  const name = tag.startsWith(TAG_PREFIX) ? tag.slice(TAG_PREFIX.length) : "";
  const known: readonly string[] = ["bool", "float", "int", "null", "timestamp", "str"];
  return (known.includes(name) ? name : "value") as ImplicitType;
}
