/**
 * A small typed reader over a YAML syntax tree for image.yml: each accessor reports a located
 * problem (`file:line: key: …`) into Diagnostics and returns undefined, so one pass finds them all.
 */
import { isMap, isScalar, isSeq, parseYaml, type LineCounter, type Node } from "../yaml/index.js";
import { DeployError, type Diagnostics } from "../errors.js";

export const DEFINITION_ERROR = "E_IMAGE_DEFINITION";

export class DefinitionReader {
  private constructor(
    readonly file: string,
    private readonly lines: LineCounter,
    readonly diags: Diagnostics,
    readonly root: Node | null,
  ) {}

  /** Parses the text (Ansible's typing, repeated keys refused); a YAML problem is reported and gives a reader with no root. */
  static parse(file: string, text: string, diags: Diagnostics): DefinitionReader {
    const parsed = parseYaml(text, { uniqueKeys: true });
    for (const problem of parsed.problems) {
      const [message, hint] = problem.kind === "syntax" ? [`invalid YAML: ${problem.message}`, "fix the YAML syntax"] : [`YAML: ${problem.message}`, problem.hint];
      diags.add(new DeployError(DEFINITION_ERROR, message, hint, { where: problem.line === undefined ? { file } : { file, line: problem.line } }));
    }
    const root = parsed.problems.length > 0 ? null : (parsed.doc.contents as Node | null);
    return new DefinitionReader(file, parsed.lines, diags, root);
  }

  lineOf(node: Node | null | undefined): number | undefined {
    const offset = node?.range?.[0];
    return offset === undefined ? undefined : this.lines.linePos(offset).line;
  }

  fail(node: Node | null | undefined, key: string, message: string, hint: string): void {
    const line = this.lineOf(node);
    const where = { file: this.file, ...(key === "" ? {} : { key }), ...(line === undefined ? {} : { line }) };
    this.diags.add(new DeployError(DEFINITION_ERROR, message, hint, { where }));
  }

  /** The entries of a mapping, reporting keys outside `allowed`. */
  mapping(node: Node | null, key: string, allowed: readonly string[]): Map<string, Node | null> | undefined {
    if (!isMap(node)) {
      this.fail(node, key, "expected a mapping", `write ${key || "the file"} as key: value lines`);
      return undefined;
    }
    const out = new Map<string, Node | null>();
    for (const pair of node.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : "";
      const path = key === "" ? name : `${key}.${name}`;
      if (!allowed.includes(name)) this.fail(pair.key as Node, path, "unknown key", `allowed keys: ${allowed.join(", ")}`);
      else out.set(name, (pair.value as Node | null) ?? null);
    }
    return out;
  }

  string(node: Node | null | undefined, key: string): string | undefined {
    if (isScalar(node) && (typeof node.value === "string" || typeof node.value === "number") && String(node.value) !== "") {
      return String(node.value);
    }
    this.fail(node, key, "expected a non-empty string", `give ${key} a text value`);
    return undefined;
  }

  boolean(node: Node | null | undefined, key: string): boolean | undefined {
    if (isScalar(node) && typeof node.value === "boolean") return node.value;
    this.fail(node, key, "expected true or false", `write ${key}: true or ${key}: false`);
    return undefined;
  }

  /** A list of strings; every bad item is reported. */
  strings(node: Node | null | undefined, key: string): string[] | undefined {
    if (!isSeq(node)) {
      this.fail(node, key, "expected a list of strings", `write ${key}: [a, b] or one "- item" per line`);
      return undefined;
    }
    const out: string[] = [];
    let ok = true;
    node.items.forEach((item, index) => {
      const value = this.string(item as Node, `${key}[${index}]`);
      if (value === undefined) ok = false;
      else out.push(value);
    });
    return ok ? out : undefined;
  }

  /** A list of nodes (for lists of mappings or of argv lists). */
  items(node: Node | null | undefined, key: string): (Node | null)[] | undefined {
    if (isSeq(node)) return node.items as (Node | null)[];
    this.fail(node, key, "expected a list", `write one "- item" per line under ${key}`);
    return undefined;
  }

  /** A mapping of string to string (env, labels). */
  stringMap(node: Node | null | undefined, key: string): Record<string, string> | undefined {
    if (!isMap(node)) {
      this.fail(node, key, "expected a mapping of names to strings", `write ${key} as NAME: value lines`);
      return undefined;
    }
    const out: Record<string, string> = {};
    for (const pair of node.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : "";
      const value = pair.value as Node | null;
      if (isScalar(value) && value.value !== null && typeof value.value !== "object") out[name] = String(value.value);
      else this.fail(value ?? (pair.key as Node), `${key}.${name}`, "expected a string value", "quote the value");
    }
    return out;
  }
}
