/**
 * Reads YAML variable files (globals, passwords, defaults, -e @file) into name → value maps that
 * remember file:line for every top-level key. Typing is Ansible's (src/yaml): `yes/no/on/off` are
 * booleans, `y`/`n`, `09` and `1e5` strings, `0644` is octal, a duplicated key keeps its last value,
 * dates stay their text.
 */
import { readFileSync } from "node:fs";
import { isMap, isScalar, keyText, lineOf, parseYaml, stringifyYaml, toPlain, type Pair, type ParsedYaml } from "../yaml/index.js";
import { DeployError, type Diagnostics, type SourceLocation } from "../errors.js";

export interface SourcedValue {
  readonly value: unknown;
  readonly where: SourceLocation;
}

export type Entries = ReadonlyMap<string, SourcedValue>;

export interface ReadOptions {
  /** A secrets file: error messages must not quote any of its text. */
  readonly secret?: boolean;
}

/** Parses YAML text that must be a mapping of variables. Problems are added to `diags`. */
export function parseVarsYaml(text: string, file: string, diags: Diagnostics, opts: ReadOptions = {}): Map<string, SourcedValue> {
  const parsed = parseYaml(text);
  if (parsed.problems.length > 0) {
    for (const problem of parsed.problems) {
      // A syntax error's message may quote the line, so a secrets file shows only the code.
      const message = problem.kind !== "syntax" ? problem.message : opts.secret ? `YAML syntax error (${problem.code})` : `YAML syntax error: ${problem.message}`;
      diags.add(new DeployError(problem.kind === "syntax" ? "E_YAML_SYNTAX" : "E_YAML_VALUE", message, problem.hint, {
        where: { file, line: problem.line ?? 1 },
      }));
    }
    return new Map();
  }
  const root = parsed.doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return new Map();
  if (!isMap(root)) {
    diags.add(new DeployError("E_YAML_NOT_MAPPING", "the top level must be a mapping of variable: value", "write one `name: value` per line at the top level", {
      where: { file, line: lineOf(parsed, root) ?? 1 },
    }));
    return new Map();
  }
  return collectEntries(parsed, root.items as Pair[], file);
}

function collectEntries(parsed: ParsedYaml, pairs: readonly Pair[], file: string): Map<string, SourcedValue> {
  const values = toPlain(parsed) as Record<string, unknown>;
  const lines = new Map<string, number>();
  let mergeLine = 1;
  for (const pair of pairs) {
    const key = keyText(pair.key) ?? "";
    const line = lineOf(parsed, pair) ?? 1;
    if (key === "<<") mergeLine = line;
    else lines.set(key, line);
  }
  const entries = new Map<string, SourcedValue>();
  for (const [key, value] of Object.entries(values)) {
    entries.set(key, { value, where: { file, line: lines.get(key) ?? mergeLine, key } });
  }
  return entries;
}

/**
 * Reads and parses a variables file. A missing file is an error only when `required`
 * (kolla-ansible itself only logs missing globals.yml / passwords.yml).
 */
export function readVarsFile(path: string, diags: Diagnostics, opts: ReadOptions & { required?: boolean } = {}): Map<string, SourcedValue> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    if (missing && !opts.required) return new Map();
    diags.add(new DeployError("E_CONFIG_READ", missing ? "file not found" : `cannot read file (${(error as NodeJS.ErrnoException).code ?? "error"})`,
      missing ? "check the path" : "check the file's permissions", { where: { file: path } }));
    return new Map();
  }
  return parseVarsYaml(text, path, diags, opts);
}

/** Renders resolved variables as YAML for display. */
export function toYaml(value: unknown): string {
  return stringifyYaml(value);
}
