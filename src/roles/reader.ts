/**
 * A small schema reader over the YAML syntax tree: every check reports into Diagnostics with
 * `file:line: dotted.path: problem` and returns undefined instead of throwing, so one pass over a
 * role finds every problem at once.
 */
import { isMap, isScalar, isSeq, parseYaml, type LineCounter, type Node } from "../yaml/index.js";
import { DeployError, type Diagnostics } from "../errors.js";
import type { RoleLocation } from "./types.js";

export const SCHEMA_ERROR = "E_ROLE_SCHEMA";
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface Entry {
  readonly node: Node | null;
  readonly line: number | undefined;
}

export class Reader {
  constructor(
    readonly file: string,
    private readonly lines: LineCounter,
    readonly diags: Diagnostics,
  ) {}

  lineOf(node: Node | null | undefined): number | undefined {
    const offset = node?.range?.[0];
    return offset === undefined ? undefined : this.lines.linePos(offset).line;
  }

  at(node: Node | null | undefined): RoleLocation {
    const line = this.lineOf(node);
    return line === undefined ? { file: this.file } : { file: this.file, line };
  }

  fail(line: number | undefined, path: string, message: string, hint: string, code = SCHEMA_ERROR): void {
    const where = { file: this.file, ...(path === "" ? {} : { key: path }), ...(line === undefined ? {} : { line }) };
    this.diags.add(new DeployError(code, message, hint, { where }));
  }

  /** A mapping with only `allowed` keys and every `required` key; entries keyed by name. */
  map(
    node: Node | null,
    path: string,
    allowed: readonly string[],
    required: readonly string[] = [],
    line = this.lineOf(node),
  ): Map<string, Entry> | undefined {
    if (!isMap(node)) {
      this.fail(line, path, "expected a mapping", `write ${path} as key: value lines`);
      return undefined;
    }
    const entries = this.entries(node, path);
    for (const [key, entry] of entries) {
      if (!allowed.includes(key)) {
        this.fail(entry.line, join(path, key), "unknown key", `allowed keys here: ${allowed.join(", ")}`);
      }
    }
    for (const key of required) {
      if (!entries.has(key)) this.fail(line, join(path, key), "missing required key", `add ${key}: to ${path || "the file"}`);
    }
    return entries;
  }

  /** Every key of a mapping (names are free, e.g. service keys); reports non-string keys. */
  entries(node: Node | null, path: string): Map<string, Entry> {
    const out = new Map<string, Entry>();
    if (!isMap(node)) {
      this.fail(this.lineOf(node), path, "expected a mapping", `write ${path} as key: value lines`);
      return out;
    }
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : undefined;
      if (key === undefined) {
        this.fail(this.lineOf(keyNode), path, "expected a plain key", "keys are plain names");
        continue;
      }
      out.set(key, { node: (pair.value as Node | null) ?? null, line: this.lineOf(keyNode) });
    }
    return out;
  }

  string(entry: Entry | undefined, path: string): string | undefined {
    if (entry === undefined) return undefined;
    if (isScalar(entry.node) && typeof entry.node.value === "string") return entry.node.value;
    this.fail(entry.line, path, "expected string", "quote the value: key: \"...\"");
    return undefined;
  }

  /** Strings or numbers (ports, environment values), as strings. */
  text(entry: Entry | undefined, path: string): string | undefined {
    if (entry !== undefined && isScalar(entry.node) && typeof entry.node.value === "number") return String(entry.node.value);
    return this.string(entry, path);
  }

  bool(entry: Entry | undefined, path: string, fallback: boolean): boolean {
    if (entry === undefined) return fallback;
    if (isScalar(entry.node) && typeof entry.node.value === "boolean") return entry.node.value;
    this.fail(entry.line, path, "expected true or false", "booleans are literal here; use enabled: for switches");
    return fallback;
  }

  oneOf<T extends string>(entry: Entry | undefined, path: string, options: readonly T[], fallback: T): T {
    const value = this.string(entry, path);
    if (value === undefined) return fallback;
    if ((options as readonly string[]).includes(value)) return value as T;
    this.fail(entry?.line, path, `expected one of ${options.join(", ")}`, `got "${value}"`);
    return fallback;
  }

  list(entry: Entry | undefined, path: string): Entry[] {
    if (entry === undefined || entry.node === null) return [];
    if (!isSeq(entry.node)) {
      this.fail(entry.line, path, "expected a list", `write ${path} as "- item" lines`);
      return [];
    }
    return entry.node.items.map((item) => ({ node: item as Node | null, line: this.lineOf(item as Node) ?? entry.line }));
  }

  /** A list of templates; `null` items (an empty `-`) are dropped like kolla's '' volumes. */
  textList(entry: Entry | undefined, path: string): string[] {
    const out: string[] = [];
    this.list(entry, path).forEach((item, i) => {
      if (item.node === null || (isScalar(item.node) && item.node.value === null)) return;
      const value = this.text(item, `${path}[${i}]`);
      if (value !== undefined) out.push(value);
    });
    return out;
  }

  textMap(entry: Entry | undefined, path: string): Record<string, string> {
    const out: Record<string, string> = {};
    if (entry === undefined || entry.node === null) return out;
    for (const [key, value] of this.entries(entry.node, path)) {
      const text = this.text(value, join(path, key));
      if (text !== undefined) out[key] = text;
    }
    return out;
  }

  /** One string or a list of strings. */
  names(entry: Entry | undefined, path: string): string[] {
    if (entry !== undefined && isSeq(entry.node)) {
      return this.list(entry, path).flatMap((item, i) => this.string(item, `${path}[${i}]`) ?? []);
    }
    const name = this.string(entry, path);
    return name === undefined ? [] : [name];
  }

  variableName(entry: Entry | undefined, path: string): string | undefined {
    const name = this.string(entry, path);
    if (name === undefined || VARIABLE_NAME.test(name)) return name;
    this.fail(entry?.line, path, `expected a variable name, got "${name}"`, "write the bare name (enable_nova), not an expression or {{ }}");
    return undefined;
  }

  /** A variable name or a list of them (all must be true); `true` means always enabled. */
  variableNames(entry: Entry | undefined, path: string): string[] {
    if (entry === undefined) return [];
    if (isScalar(entry.node) && entry.node.value === true) return [];
    if (isSeq(entry.node)) {
      return this.list(entry, path).flatMap((item, i) => this.variableName(item, `${path}[${i}]`) ?? []);
    }
    const name = this.variableName(entry, path);
    return name === undefined ? [] : [name];
  }
}

export function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

/**
 * Parses YAML text with Ansible's typing (src/yaml), refusing repeated keys; problems are reported
 * with their line and yield undefined.
 */
export function readYaml(file: string, text: string, diags: Diagnostics): { root: Node | null; reader: Reader } | undefined {
  const parsed = parseYaml(text, { uniqueKeys: true });
  const reader = new Reader(file, parsed.lines, diags);
  for (const problem of parsed.problems) {
    if (problem.kind === "syntax") reader.fail(problem.line, "", `YAML syntax: ${problem.message}`, "fix the YAML syntax", "E_ROLE_YAML");
    else reader.fail(problem.line, "", `YAML: ${problem.message}`, problem.hint, "E_ROLE_YAML");
  }
  if (parsed.problems.length > 0) return undefined;
  return { root: (parsed.doc.contents as Node | null) ?? null, reader };
}
