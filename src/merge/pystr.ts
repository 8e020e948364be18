/**
 * Python's notion of whitespace for `str.strip()` and friends. oslo's parser strips with Python's
 * rules, and JavaScript's `trim()` differs from them (it strips U+FEFF but not U+001C–U+001F or
 * U+0085), so we spell the Python set out to stay byte-exact with kolla's output.
 */
const PYTHON_WHITESPACE = new Set([
  "\t", "\n", "\v", "\f", "\r", "\x1c", "\x1d", "\x1e", "\x1f", " ", "\x85", "\xa0", "\u1680",
  "\u2000", "\u2001", "\u2002", "\u2003", "\u2004", "\u2005", "\u2006", "\u2007", "\u2008", "\u2009",
  "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000",
]);

/** True when `ch` is whitespace for Python's `str.isspace()`. */
export function isPythonSpace(ch: string): boolean {
  return PYTHON_WHITESPACE.has(ch);
}

/** Python's `s.rstrip()`. */
export function pyRstrip(text: string): string {
  let end = text.length;
  while (end > 0 && isPythonSpace(text[end - 1]!)) end--;
  return text.slice(0, end);
}

/** Python's `s.lstrip()`. */
export function pyLstrip(text: string): string {
  let start = 0;
  while (start < text.length && isPythonSpace(text[start]!)) start++;
  return text.slice(start);
}

/** Python's `s.strip()`. */
export function pyStrip(text: string): string {
  return pyLstrip(pyRstrip(text));
}

/** Python's `len(s)`: code points, not UTF-16 units, so a key with an emoji indents like kolla's. */
export function pyLen(text: string): number {
  let count = 0;
  for (const _codePoint of text) count++;
  return count;
}

/**
 * Splits text into lines the way kolla reads a file: Python's universal newlines turn "\r\n" and
 * a lone "\r" into line ends. A final newline does not start an extra line.
 */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}
