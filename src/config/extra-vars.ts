/**
 * `-e/--extra-vars` as ansible-playbook reads it: `@file` (YAML or JSON), an inline JSON/YAML
 * mapping (`{"a": 1}`), or `key=value` pairs (several per argument, quotes allowed; values stay
 * strings). Later arguments win, key by key.
 */
import { isAbsolute, resolve } from "node:path";
import { DeployError, Diagnostics } from "../errors.js";
import type { Vars } from "../inventory/types.js";
import { parseVarsYaml, readVarsFile, type SourcedValue } from "./yaml-source.js";

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FORMS_HINT = "use key=value, a JSON/YAML mapping like '{\"key\": 1}', or @file.yml";

/** The label errors use for the n-th -e argument; the argument itself may hold a secret, so it is not quoted. */
export function extraVarsLabel(index: number): string {
  return `-e #${index + 1}`;
}

/** Parses every -e argument into one entry map (later wins); problems go to `diags`. */
export function parseExtraVarsEntries(args: readonly string[], cwd: string, diags: Diagnostics): Map<string, SourcedValue> {
  const merged = new Map<string, SourcedValue>();
  args.forEach((arg, index) => {
    for (const [key, entry] of parseOne(arg, extraVarsLabel(index), cwd, diags)) merged.set(key, entry);
  });
  return merged;
}

/** ansible-playbook's -e parsing; throws (with every problem) when an argument is malformed. */
export function parseExtraVars(args: readonly string[], opts: { cwd?: string } = {}): Vars {
  const diags = new Diagnostics();
  const entries = parseExtraVarsEntries(args, opts.cwd ?? process.cwd(), diags);
  diags.throwIfAny();
  return Object.fromEntries([...entries].map(([key, entry]) => [key, entry.value]));
}

function parseOne(arg: string, label: string, cwd: string, diags: Diagnostics): Map<string, SourcedValue> {
  const text = arg.trim();
  if (text === "") return new Map();
  if (text.startsWith("@")) {
    const path = text.slice(1);
    if (path === "") {
      diags.add(new DeployError("E_EXTRA_VARS", "'@' without a file name", "write -e @path/to/vars.yml", { where: { file: label } }));
      return new Map();
    }
    return readVarsFile(isAbsolute(path) ? path : resolve(cwd, path), diags, { required: true });
  }
  if (text.startsWith("{") || text.startsWith("[")) return parseVarsYaml(text, label, diags, { secret: true });
  return parseKeyValues(text, label, diags);
}

function parseKeyValues(text: string, label: string, diags: Diagnostics): Map<string, SourcedValue> {
  const entries = new Map<string, SourcedValue>();
  const words = splitWords(text);
  if (words === undefined) {
    diags.add(new DeployError("E_EXTRA_VARS", "unterminated quote", "close every quote in the -e value", { where: { file: label } }));
    return entries;
  }
  for (const word of words) {
    const equals = word.indexOf("=");
    if (equals <= 0) {
      diags.add(new DeployError("E_EXTRA_VARS", "expected key=value", FORMS_HINT, { where: { file: label } }));
      continue;
    }
    const key = word.slice(0, equals);
    if (!VARIABLE_NAME.test(key)) {
      diags.add(new DeployError("E_EXTRA_VARS", `'${key}' is not a valid variable name`, "names are letters, digits and _, not starting with a digit", { where: { file: label, key } }));
      continue;
    }
    entries.set(key, { value: unquote(word.slice(equals + 1)), where: { file: label, key } });
  }
  return entries;
}

/** Splits on unquoted whitespace, keeping quotes in the words (as Ansible's split_args does). */
function splitWords(text: string): string[] | undefined {
  const words: string[] = [];
  let word = "";
  let quote: string | undefined;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (quote === undefined && /\s/.test(ch)) {
      if (word !== "") words.push(word);
      word = "";
      continue;
    }
    if (ch === "\\" && quote !== undefined && i + 1 < text.length) {
      word += ch + text[i + 1];
      i += 1;
      continue;
    }
    if (ch === "'" || ch === '"') quote = quote === undefined ? ch : quote === ch ? undefined : quote;
    word += ch;
  }
  if (quote !== undefined) return undefined;
  if (word !== "") words.push(word);
  return words;
}

/** Strips one pair of matching outer quotes and resolves backslash escapes inside them. */
function unquote(value: string): string {
  const first = value[0];
  if (value.length >= 2 && (first === "'" || first === '"') && value.endsWith(first)) {
    return value.slice(1, -1).replace(/\\(.)/g, "$1");
  }
  return value;
}
