/**
 * Jinja string templates restricted to `{{ expression }}`: statements (`{% %}`) are not
 * supported. A string that is exactly one `{{ expr }}` keeps the expression's native type, as
 * Ansible does for templated variables; anything else renders to a string. Pure.
 */
import type { Expr } from "./ast.js";
import { syntaxError, unsupported } from "./errors.js";
import { defined, evaluate, type Lookup } from "./evaluator.js";
import { parseExpression } from "./parser.js";
import { pythonStr } from "./values.js";

export type TemplatePart = string | Expr;

export interface Template {
  readonly parts: readonly TemplatePart[];
  /** True when the whole text is one expression: the result keeps its type. */
  readonly native: boolean;
}

/** Cheap test, so plain strings (the vast majority) skip parsing entirely. */
export function isTemplated(text: string): boolean {
  return text.includes("{{") || text.includes("{%") || text.includes("{#");
}

const parsed = new Map<string, Template>();

/** Parses (and caches) a template; throws ExpressionError on bad syntax. */
export function parseTemplate(text: string): Template {
  const cached = parsed.get(text);
  if (cached !== undefined) return cached;
  const template = splitTemplate(text);
  parsed.set(text, template);
  return template;
}

function splitTemplate(text: string): Template {
  const parts: TemplatePart[] = [];
  let literal = "";
  let pos = 0;
  while (pos < text.length) {
    const open = nextOpening(text, pos);
    if (open === -1) break;
    if (text.startsWith("{%", open)) throw unsupported("statements {% ... %}; only {{ expression }} is evaluated");
    if (text.startsWith("{#", open)) throw unsupported("comments {# ... #}");
    const close = findClose(text, open + 2);
    const rawInner = text.slice(open + 2, close);
    const trimBefore = rawInner.startsWith("-");
    const trimAfter = rawInner.endsWith("-") && close - 1 > open + 2;
    literal += text.slice(pos, open);
    if (trimBefore) literal = literal.replace(/\s+$/, "");
    if (literal !== "") parts.push(literal);
    literal = "";
    parts.push(parseExpression(rawInner.slice(trimBefore ? 1 : 0, trimAfter ? -1 : undefined)));
    pos = close + 2;
    if (trimAfter) pos += /^\s*/.exec(text.slice(pos))![0].length;
  }
  literal += text.slice(pos);
  if (literal !== "") parts.push(literal);
  return { parts, native: parts.length === 1 && typeof parts[0] !== "string" };
}

function nextOpening(text: string, from: number): number {
  const candidates = ["{{", "{%", "{#"].map((marker) => text.indexOf(marker, from)).filter((i) => i !== -1);
  return candidates.length === 0 ? -1 : Math.min(...candidates);
}

/** The `}}` that closes an expression, skipping over string literals that may contain braces. */
function findClose(text: string, from: number): number {
  let quote: string | undefined;
  for (let i = from; i < text.length; i += 1) {
    const ch = text[i];
    if (quote !== undefined) {
      if (ch === "\\") i += 1;
      else if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (ch === "}" && text[i + 1] === "}") {
      return i;
    }
  }
  throw syntaxError("'{{' without a matching '}}'", "close every {{ with }}");
}

/** Renders a parsed template; throws UndefinedError or ExpressionError. */
export function renderTemplate(template: Template, lookup: Lookup): unknown {
  if (template.native) return defined(evaluate(template.parts[0] as Expr, lookup));
  let out = "";
  for (const part of template.parts) {
    out += typeof part === "string" ? part : pythonStr(defined(evaluate(part, lookup)));
  }
  return out;
}
