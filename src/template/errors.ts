/**
 * Turns what handlebars and our helpers throw into one-line DeployErrors that name the template,
 * the line and the column. handlebars reports `- line:col` in its messages (column 0-based);
 * we report both 1-based, as editors do.
 */
import { DeployError, type SourceLocation } from "../errors.js";
import { HELPER_NAMES, HelperFailure, isHandlebarsError, parseTemplate, type HandlebarsLoc } from "./env.js";

/** Where the template text came from: a template file, or a field of a YAML file (key set). */
export interface TemplateOrigin {
  file: string;
  key?: string;
}

interface Position {
  line: number;
  /** 1-based */
  column?: number;
}

function located(origin: TemplateOrigin, position: Position | undefined, code: string, message: string, hint: string, cause: unknown): DeployError {
  const where: SourceLocation = { file: origin.file };
  // A YAML field's text starts somewhere inside its file, so its line number is not a file line.
  if (position !== undefined && origin.key === undefined) where.line = position.line;
  if (origin.key !== undefined) where.key = origin.key;
  return new DeployError(code, `${message}${positionSuffix(origin, position)}`, hint, { where, cause });
}

function positionSuffix(origin: TemplateOrigin, position: Position | undefined): string {
  if (position === undefined) return "";
  if (origin.key !== undefined) return position.column === undefined ? ` (at line ${position.line})` : ` (at ${position.line}:${position.column})`;
  return position.column === undefined ? "" : ` (column ${position.column})`;
}

/** The dotted path written in the template at a position, e.g. `services.keystone.image`. */
function pathAt(source: string, line: number, column0: number): string | undefined {
  const text = source.split("\n")[line - 1]?.slice(column0);
  const match = text === undefined ? null : /^[^\s}()|=~]+/.exec(text);
  return match?.[0];
}

function fromHelperFailure(failure: HelperFailure, origin: TemplateOrigin): DeployError {
  const position = failure.loc === undefined ? undefined : { line: failure.loc.start.line, column: failure.loc.start.column + 1 };
  const reason = failure.reason;
  if (reason instanceof DeployError) {
    // e.g. an address lookup without facts: keep its code and hint, add where the template asked.
    return located(origin, position, reason.code, `{{${failure.helper}}}: ${reason.message}`, reason.hint, reason);
  }
  // Our helpers' own messages already name the helper.
  return located(origin, position, "E_TEMPLATE_HELPER", failure.message, "see docs/templates.md for the helper's arguments", reason);
}

const UNDEFINED_HINT = 'define it (globals.yml, inventory, role defaults) or make it optional with (default name "fallback")';

function fromHandlebarsError(error: Error & { lineNumber?: number; column?: number }, source: string, origin: TemplateOrigin): DeployError {
  const message = error.message.replace(/ - \d+:\d+$/, "");
  const position = error.lineNumber === undefined ? undefined : { line: error.lineNumber, column: (error.column ?? 0) + 1 };
  const undefinedName = /^"([^"]*)" not defined in /.exec(message)?.[1];
  if (undefinedName !== undefined) {
    const path = position === undefined ? undefined : pathAt(source, position.line, (error.column ?? 0));
    const shown = path !== undefined && path.split(/[./]/).includes(undefinedName) ? path : undefinedName;
    return located(origin, position, "E_TEMPLATE_UNDEFINED", `undefined variable "${shown}"`, UNDEFINED_HINT, error);
  }
  const unknownHelper = /unknown helper (\S+)/.exec(message)?.[1];
  if (unknownHelper !== undefined) {
    return located(origin, position, "E_TEMPLATE_UNKNOWN_HELPER", `unknown helper "${unknownHelper}"`, `available helpers: ${HELPER_NAMES.join(", ")}, plus if/unless/each/with/lookup`, error);
  }
  return located(origin, position, "E_TEMPLATE_SYNTAX", message, "check the template's {{...}} syntax", error);
}

/** jison parse errors are plain Errors: "Parse error on line N:\n<excerpt>\n---^\nExpecting ..., got 'X'". */
function fromParseError(error: Error, origin: TemplateOrigin): DeployError | undefined {
  const head = /^(Parse|Lexical) error on line (\d+)/.exec(error.message);
  if (head === null) return undefined;
  const got = /got '([^']+)'/.exec(error.message)?.[1];
  const detail = got === "EOF" ? "unexpected end of template (an unclosed {{#block}}?)" : got !== undefined ? `unexpected ${got}` : "unrecognised text";
  return located(origin, { line: Number(head[2]) }, "E_TEMPLATE_SYNTAX", `template syntax error: ${detail}`, "check the template's {{...}} syntax", error);
}

/**
 * In strict mode handlebars checks only the last segment of `a.b.c`; a missing `a` surfaces as a
 * TypeError without a location. Find the path in the template that reads the named segment.
 */
function fromTypeError(error: TypeError, source: string, origin: TemplateOrigin): DeployError | undefined {
  const readingUndefined = /reading '([^']*)'/.exec(error.message)?.[1];
  const searchingScalar = /search for '([^']*)' in/.exec(error.message)?.[1];
  const segment = readingUndefined ?? searchingScalar;
  if (segment === undefined) return undefined;
  const found = findPathReading(source, segment);
  const position = found === undefined ? undefined : { line: found.loc.start.line, column: found.loc.start.column + 1 };
  const shown = found?.original ?? `…${segment}`;
  const message = readingUndefined !== undefined
    ? `undefined variable in "${shown}"`
    : `cannot look up "${segment}" in "${shown}": its parent is not a mapping`;
  return located(origin, position, "E_TEMPLATE_UNDEFINED", message, UNDEFINED_HINT, error);
}

interface PathNode {
  type: string;
  original?: string;
  parts?: string[];
  loc: HandlebarsLoc;
}

function findPathReading(source: string, segment: string): PathNode | undefined {
  const pending: unknown[] = [parseTemplate(source)];
  while (pending.length > 0) {
    const node = pending.shift();
    if (typeof node !== "object" || node === null) continue;
    const candidate = node as PathNode;
    if (candidate.type === "PathExpression" && candidate.parts !== undefined && candidate.parts.indexOf(segment) > 0) return candidate;
    for (const [key, child] of Object.entries(node)) {
      if (key !== "loc") pending.push(...(Array.isArray(child) ? child : [child]));
    }
  }
  return undefined;
}

/** Converts anything thrown while compiling or rendering `source` into a located DeployError. */
export function templateError(error: unknown, source: string, origin: TemplateOrigin): DeployError {
  if (error instanceof DeployError) return error;
  if (error instanceof HelperFailure) return fromHelperFailure(error, origin);
  if (isHandlebarsError(error)) return fromHandlebarsError(error, source, origin);
  if (error instanceof TypeError) {
    const mapped = fromTypeError(error, source, origin);
    if (mapped !== undefined) return mapped;
  }
  if (error instanceof Error) {
    const mapped = fromParseError(error, origin);
    if (mapped !== undefined) return mapped;
  }
  const text = error instanceof Error ? error.message : String(error);
  return located(origin, undefined, "E_TEMPLATE_RENDER", `rendering failed: ${text}`, "check the template and the variables it uses", error);
}
