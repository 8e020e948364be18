/**
 * A tokenizer for the Python expression subset literal_eval accepts. Pure.
 * Returns undefined where Python's tokenizer would raise SyntaxError (e.g. `010`, `1abc`, an open quote).
 */

export interface PyToken {
  type: "NUM" | "STR" | "NAME" | "OP" | "END";
  text: string;
  value?: unknown;
  bytes?: boolean;
}

const DIGITS = String.raw`[0-9](?:_?[0-9])*`;
const EXPONENT = String.raw`[eE][-+]?${DIGITS}`;
const FLOAT = new RegExp(String.raw`^(?:(?:${DIGITS})?\.${DIGITS}(?:${EXPONENT})?|${DIGITS}\.(?:${EXPONENT})?|${DIGITS}${EXPONENT})`);
const INT_FORMS: ReadonlyArray<[RegExp, number]> = [
  [/^0[xX](?:_?[0-9a-fA-F])+/, 16],
  [/^0[oO](?:_?[0-7])+/, 8],
  [/^0[bB](?:_?[01])+/, 2],
  [/^(?:[1-9](?:_?[0-9])*|0+(?:_?0)*)/, 10],
];
const NAME = /^[\p{L}_][\p{L}\p{N}_]*/u;
const STRING_PREFIX = /^([rRuUbBfF]|[rR][bBfF]|[bBfF][rR])?(?='|")/;

export function tokenizePython(source: string): PyToken[] | undefined {
  const tokens: PyToken[] = [];
  let rest = source;
  while (rest.length > 0) {
    const c = rest[0]!;
    if (" \t\f\r\n".includes(c)) {
      rest = rest.slice(1);
      continue;
    }
    if (c === "#") break; // a comment ends an eval-mode expression
    const token = readToken(rest);
    if (token === undefined) return undefined;
    tokens.push(token.token);
    rest = rest.slice(token.length);
  }
  tokens.push({ type: "END", text: "" });
  return tokens;
}

function readToken(rest: string): { token: PyToken; length: number } | undefined {
  const prefix = STRING_PREFIX.exec(rest);
  if (prefix !== null) return readString(rest, prefix[1] ?? "");
  if (/^[0-9]|^\.[0-9]/.test(rest)) return readNumber(rest);
  const name = NAME.exec(rest);
  if (name !== null) return { token: { type: "NAME", text: name[0] }, length: name[0].length };
  if (rest.startsWith("**")) return undefined;
  // Any other character becomes an operator token; the parser rejects the ones literals cannot contain.
  return { token: { type: "OP", text: rest[0]! }, length: 1 };
}

function readNumber(rest: string): { token: PyToken; length: number } | undefined {
  const float = FLOAT.exec(rest);
  let text: string;
  let value: number;
  if (float !== null) {
    text = float[0];
    value = Number(text.replace(/_/g, ""));
  } else {
    const form = INT_FORMS.map(([re, base]) => [re.exec(rest), base] as const).find(([m]) => m !== null);
    if (form === undefined) return undefined;
    text = form[0]![0];
    value = parseIntInBase(text, form[1]);
  }
  // `010`, `1abc`, `1j` (complex): Python rejects or we do not model them; all stay strings.
  if (/^[\p{L}\p{N}_.]/u.test(rest.slice(text.length))) return undefined;
  return { token: { type: "NUM", text, value }, length: text.length };
}

function parseIntInBase(text: string, base: number): number {
  const digits = text.replace(/_/g, "").replace(/^0[xXoObB]/, "");
  return base === 10 ? Number(digits) : parseInt(digits, base);
}

function readString(rest: string, prefix: string): { token: PyToken; length: number } | undefined {
  if (/[fF]/.test(prefix)) return undefined; // f-strings are not literals
  const raw = /[rR]/.test(prefix);
  const bytes = /[bB]/.test(prefix);
  const start = prefix.length;
  const quoteChar = rest[start]!;
  const triple = rest.startsWith(quoteChar.repeat(3), start);
  const quote = triple ? quoteChar.repeat(3) : quoteChar;
  let i = start + quote.length;
  let body = "";
  while (i < rest.length) {
    if (rest.startsWith(quote, i)) {
      const value = raw ? body : unescapePython(body);
      if (value === undefined) return undefined;
      return { token: { type: "STR", text: rest.slice(0, i + quote.length), value, bytes }, length: i + quote.length };
    }
    const ch = rest[i]!;
    if (ch === "\\" && i + 1 < rest.length) {
      body += ch + rest[i + 1]!;
      i += 2;
      continue;
    }
    if (!triple && ch === "\n") return undefined;
    body += ch;
    i++;
  }
  return undefined;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  "\n": "", "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v",
};

/** Python escape sequences; unknown ones keep their backslash, as Python does. */
function unescapePython(body: string): string | undefined {
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== "\\") {
      out += ch;
      continue;
    }
    const next = body[i + 1]!;
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
      i++;
      continue;
    }
    const coded = readCodedEscape(body, i + 1);
    if (coded === null) return undefined;
    if (coded === undefined) {
      out += "\\";
      continue;
    }
    out += coded.text;
    i += coded.length;
  }
  return out;
}

/** \ooo, \xhh, \uhhhh, \Uhhhhhhhh: null when malformed (a SyntaxError), undefined when not one of them. */
function readCodedEscape(body: string, at: number): { text: string; length: number } | null | undefined {
  const octal = /^[0-7]{1,3}/.exec(body.slice(at));
  if (octal !== null) return { text: String.fromCodePoint(parseInt(octal[0], 8)), length: octal[0].length };
  const widths: Record<string, number> = { x: 2, u: 4, U: 8 };
  const width = widths[body[at]!];
  if (width === undefined) return undefined;
  const hex = body.slice(at + 1, at + 1 + width);
  if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) return null;
  const code = parseInt(hex, 16);
  if (code > 0x10ffff) return null;
  return { text: String.fromCodePoint(code), length: width };
}
