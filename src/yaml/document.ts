/**
 * Parsing: the `yaml` package only reads the syntax (failsafe schema, every scalar text); then every
 * scalar is typed as Ansible types it (tags.ts) and its `value` replaced by the plain JavaScript value,
 * so readers that walk the Document and readers that want plain data see the same types. Problems
 * come back with their line, never with a scalar's text (it may be a secret): each reader words
 * and codes them as it always has.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Alias, type Document, type Node, type Pair, type Scalar } from "yaml";
import { checkCollectionTag, isPythonJson, typeJsonScalar, typeScalar, type Loader, type Typed } from "./tags.js";
import { ConstructError, type PyScalar } from "./types.js";

/**
 * Alias expansion limit (the `yaml` package's maxAliasCount heuristic): the strictest limit any reader
 * set on purpose (globals.yml and the other variable files); the inventory had none.
 */
export const MAX_ALIAS_COUNT = 1000;

export interface ParseOptions {
  /** Which Python loader to be: Ansible's from_yaml (default) or PyYAML's safe_load (kolla's merge_yaml). */
  readonly loader?: Loader;
  /** Refuse a repeated mapping key (our own formats); Ansible keeps the last value. */
  readonly uniqueKeys?: boolean;
}

export interface YamlProblem {
  /** syntax: the text is not YAML; type: a scalar or tag PyYAML cannot construct; structure: aliases, merge keys, keys. */
  readonly kind: "syntax" | "type" | "structure";
  /** The `yaml` package's error code for syntax problems (e.g. BAD_INDENT), else ours. */
  readonly code: string;
  /** One line, without position and without any of the file's text. */
  readonly message: string;
  /** What usually fixes it. */
  readonly hint: string;
  readonly line: number | undefined;
}

const HINTS: Readonly<Record<YamlProblem["kind"], string>> = {
  syntax: "fix the YAML at this line (indentation, quoting, colons)",
  type: "quote the value to keep it a string, or write a value of that type",
  structure: "anchor (&name) a mapping before aliasing it (*name) outside it; keys are plain scalars",
};

export interface ParsedYaml {
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
  /** Empty when the document can be used. */
  readonly problems: readonly YamlProblem[];
  /** Ansible read it as JSON (`from_yaml` tries `json.loads` first), so JSON typed its scalars. */
  readonly json: boolean;
}

const typed = new WeakMap<Scalar, Typed>();

/** The Python value PyYAML gave a scalar of a parsed document; a `<<` merge key is `{type: "merge"}`. */
export function typedScalar(node: Scalar): Typed {
  return typed.get(node) ?? { type: "str", value: String(node.value) };
}

/** The plain JavaScript value of a Python scalar: ints and floats are numbers, dates their `str()`. */
export function plainScalar(scalar: PyScalar): unknown {
  return scalar.type === "int" ? Number(scalar.value) : scalar.value;
}

export function lineOf(parsed: ParsedYaml, node: Node | Pair | null | undefined): number | undefined {
  const target = node && "range" in node ? node : node && "key" in node ? (node.key as Node | null) : undefined;
  const offset = target?.range?.[0];
  return offset === undefined ? undefined : parsed.lines.linePos(offset).line;
}

export function parseYaml(text: string, opts: ParseOptions = {}): ParsedYaml {
  const loader = opts.loader ?? "ansible";
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    version: "1.1", schema: "failsafe", resolveKnownTags: false, merge: false,
    uniqueKeys: opts.uniqueKeys ?? false, prettyErrors: false, lineCounter: lines,
  });
  const json = loader === "ansible" && isPythonJson(text);
  const parsed = { doc, lines, problems: [] as YamlProblem[], json };
  const lineAt = (offset: number | undefined): number | undefined => (offset === undefined ? undefined : lines.linePos(offset).line);
  for (const error of doc.errors) {
    const message = error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    parsed.problems.push({ kind: "syntax", code: error.code, message, hint: HINTS.syntax, line: lineAt(error.pos[0]) });
  }
  if (parsed.problems.length === 0) typeDocument(parsed, loader);
  return parsed;
}

function typeDocument(parsed: ParsedYaml & { problems: YamlProblem[] }, loader: Loader): void {
  const { doc } = parsed;
  const problem = (kind: YamlProblem["kind"], code: string, message: string, node: Node | null | undefined): void => {
    parsed.problems.push({ kind, code, message, hint: HINTS[kind], line: lineOf(parsed, node) });
  };
  let aliases = false;
  visit(doc, {
    Scalar(key, node) {
      try {
        const syntax = { text: String(node.source ?? node.value), plain: node.type === "PLAIN", tag: node.tag, isKey: key === "key" };
        const value: Typed = parsed.json ? typeJsonScalar(syntax.text, syntax.plain) : typeScalar(syntax, loader);
        typed.set(node, value);
        node.value = value.type === "merge" ? "<<" : plainScalar(value);
      } catch (error) {
        if (!(error instanceof ConstructError)) throw error;
        problem("type", "E_YAML_CONSTRUCT", `cannot construct this scalar: ${error.message}`, node);
      }
    },
    Map(_key, node) {
      collectionTag(() => checkCollectionTag(node.tag, "map", loader), node);
    },
    Seq(_key, node) {
      collectionTag(() => checkCollectionTag(node.tag, "seq", loader), node);
    },
    Alias(_key, node, path) {
      aliases = true;
      const target = node.resolve(doc);
      if (target === undefined) problem("structure", "E_YAML_ALIAS", `found undefined alias *${node.source}`, node);
      else if (path.includes(target as never)) problem("structure", "E_YAML_ALIAS", `alias *${node.source} is inside its own anchor (a recursive structure)`, node);
    },
  });
  function collectionTag(check: () => void, node: Node): void {
    try {
      check();
    } catch (error) {
      if (!(error instanceof ConstructError)) throw error;
      problem("type", "E_YAML_CONSTRUCT", `cannot construct this collection: ${error.message}`, node);
    }
  }
  if (parsed.problems.length === 0) checkMappings(parsed, problem);
  if (parsed.problems.length === 0 && aliases) checkAliasCount(parsed, problem);
}

type Report = (kind: YamlProblem["kind"], code: string, message: string, node: Node | null | undefined) => void;

/** PyYAML refuses a list or mapping as a key, and a `<<` whose value is not a mapping or a list of mappings. */
function checkMappings(parsed: ParsedYaml, problem: Report): void {
  const deref = (node: unknown): unknown => (isAlias(node) ? (node as Alias).resolve(parsed.doc) : node);
  visit(parsed.doc, {
    Pair(_key, pair) {
      const key = deref(pair.key);
      if (isMap(key) || isSeq(key)) {
        problem("structure", "E_YAML_KEY", "a mapping key is a list or a mapping (Python cannot hash it)", pair.key as Node);
      } else if (isScalar(pair.key) && typedScalar(pair.key).type === "merge") {
        const value = deref(pair.value);
        const ok = isMap(value) || (isSeq(value) && value.items.every((item) => isMap(deref(item))));
        if (!ok) problem("structure", "E_YAML_MERGE", "a << merge key needs a mapping or a list of mappings", (pair.value ?? pair.key) as Node);
      }
    },
  });
}

/** Refuses an alias "billion laughs" the way the `yaml` package does, at the same limit for every reader. */
function checkAliasCount(parsed: ParsedYaml, problem: Report): void {
  try {
    parsed.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT, mapAsMap: true });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    problem("structure", "E_YAML_ALIAS", `too many aliases (more than ${MAX_ALIAS_COUNT} expansions): ${error.message}`, parsed.doc.contents as Node);
  }
}
