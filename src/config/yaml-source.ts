/**
 * Reads YAML variable files (globals, passwords, defaults, -e @file) into name → value maps that
 * remember file:line for every top-level key. The yaml library enters the config module here.
 *
 * Parsing follows PyYAML's YAML 1.1 (what Ansible reads): `yes/no/on/off` are booleans, `y`/`n`
 * are strings, `0644` is octal, duplicate keys keep the last value, dates stay strings.
 */
import { readFileSync } from "node:fs";
import { LineCounter, Scalar, isMap, isScalar, parseDocument, stringify, type Document, type Pair, type ScalarTag } from "yaml";
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

const BOOL_TAG = "tag:yaml.org,2002:bool";
const TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp";

function pyyamlBool(value: boolean, test: RegExp): ScalarTag {
  return { tag: BOOL_TAG, default: true, identify: (v) => v === value, test, resolve: () => new Scalar(value) };
}

const PYYAML_TRUE = pyyamlBool(true, /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/);
const PYYAML_FALSE = pyyamlBool(false, /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/);

const PARSE_OPTIONS = {
  version: "1.1",
  merge: true,
  uniqueKeys: false,
  prettyErrors: false,
  customTags: (tags: unknown[]) => [
    PYYAML_TRUE,
    PYYAML_FALSE,
    ...tags.filter((t) => {
      const tag = (t as { tag?: string }).tag;
      return tag !== BOOL_TAG && tag !== TIMESTAMP_TAG;
    }),
  ],
} as const;

/** Parses YAML text that must be a mapping of variables. Problems are added to `diags`. */
export function parseVarsYaml(text: string, file: string, diags: Diagnostics, opts: ReadOptions = {}): Map<string, SourcedValue> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { ...PARSE_OPTIONS, lineCounter } as never) as Document.Parsed;
  const lineAt = (offset: number | undefined): number => (offset === undefined ? 1 : lineCounter.linePos(offset).line);
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const message = opts.secret ? `YAML syntax error (${error.code})` : `YAML syntax error: ${firstLine(error.message)}`;
      diags.add(new DeployError("E_YAML_SYNTAX", message, "fix the YAML at this line (indentation, quoting, colons)", {
        where: { file, line: lineAt(error.pos[0]) },
      }));
    }
    return new Map();
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return new Map();
  if (!isMap(doc.contents)) {
    diags.add(new DeployError("E_YAML_NOT_MAPPING", "the top level must be a mapping of variable: value", "write one `name: value` per line at the top level", {
      where: { file, line: lineAt(doc.contents.range?.[0]) },
    }));
    return new Map();
  }
  return collectEntries(doc, doc.contents.items as Pair[], file, lineAt);
}

function collectEntries(doc: Document.Parsed, pairs: readonly Pair[], file: string, lineAt: (offset?: number) => number): Map<string, SourcedValue> {
  const values = doc.toJS({ maxAliasCount: 1000 }) as Record<string, unknown>;
  const lines = new Map<string, number>();
  let mergeLine = 1;
  for (const pair of pairs) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const line = lineAt((pair.key as { range?: [number] } | null)?.range?.[0]);
    if (key === "<<") mergeLine = line;
    else lines.set(key, line);
  }
  const entries = new Map<string, SourcedValue>();
  for (const [key, value] of Object.entries(values)) {
    entries.set(key, { value, where: { file, line: lines.get(key) ?? mergeLine, key } });
  }
  return entries;
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
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
  return stringify(value, { lineWidth: 0 });
}
