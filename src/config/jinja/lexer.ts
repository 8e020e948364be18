/** Splits one Jinja expression (the text between `{{` and `}}`) into tokens. Pure. */
import { syntaxError } from "./errors.js";

export type TokenKind = "name" | "number" | "string" | "op" | "end";

export interface Token {
  readonly kind: TokenKind;
  /** Names and operators as written; string literals unescaped; numbers as parsed. */
  readonly value: string | number;
  /** Offset in the expression, for error messages. */
  readonly pos: number;
}

// Longest first, so `//` wins over `/` and `<=` over `<`.
const OPERATORS = ["==", "!=", "<=", ">=", "//", "**", "<", ">", "+", "-", "*", "/", "%", "~", "|", ".", ",", ":", "(", ")", "[", "]", "{", "}", "="];

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?/y;
// After a dot (`list.1.2`) a number is an index: integers only, as Jinja lexes it.
const INDEX = /\d+/y;
const SPACE = /\s+/y;

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < source.length) {
    const skipped = matchAt(SPACE, source, pos);
    if (skipped !== undefined) {
      pos += skipped.length;
      continue;
    }
    const token = readToken(source, pos);
    tokens.push(token.token);
    pos = token.next;
  }
  tokens.push({ kind: "end", value: "", pos });
  return tokens;
}

function readToken(source: string, pos: number): { token: Token; next: number } {
  const ch = source[pos]!;
  if (ch === "'" || ch === '"') return readString(source, pos);
  const name = matchAt(NAME, source, pos);
  if (name !== undefined) return { token: { kind: "name", value: name, pos }, next: pos + name.length };
  if (/\d/.test(ch)) return readNumber(source, pos);
  const op = OPERATORS.find((candidate) => source.startsWith(candidate, pos));
  if (op !== undefined) return { token: { kind: "op", value: op, pos }, next: pos + op.length };
  throw syntaxError(`unexpected character '${ch}' at offset ${pos}`);
}

function readNumber(source: string, pos: number): { token: Token; next: number } {
  const text = matchAt(source[pos - 1] === "." ? INDEX : NUMBER, source, pos) ?? "";
  const value = Number(text.replace(/_/g, ""));
  if (text === "" || Number.isNaN(value)) throw syntaxError(`bad number at offset ${pos}`);
  return { token: { kind: "number", value, pos }, next: pos + text.length };
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', "0": "\0" };

function readString(source: string, start: number): { token: Token; next: number } {
  const quote = source[start]!;
  let value = "";
  let pos = start + 1;
  while (pos < source.length && source[pos] !== quote) {
    if (source[pos] === "\\" && pos + 1 < source.length) {
      const escaped = source[pos + 1]!;
      value += ESCAPES[escaped] ?? `\\${escaped}`;
      pos += 2;
    } else {
      value += source[pos];
      pos += 1;
    }
  }
  if (pos >= source.length) throw syntaxError(`unterminated string starting at offset ${start}`);
  return { token: { kind: "string", value, pos: start }, next: pos + 1 };
}

function matchAt(pattern: RegExp, source: string, pos: number): string | undefined {
  pattern.lastIndex = pos;
  const match = pattern.exec(source);
  return match === null || match[0] === "" ? undefined : match[0];
}
