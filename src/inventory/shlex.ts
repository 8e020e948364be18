/**
 * Python's shlex.split(line, comments=True) in POSIX mode, which Ansible's INI plugin uses to split
 * host lines. Pure. Quirks kept on purpose: `#` ends a word and starts a comment even mid-word,
 * and inside double quotes a backslash escapes only `"` and `\`.
 */

export type ShlexResult = { ok: true; tokens: string[] } | { ok: false; problem: string };

const WHITESPACE = " \t\r\n";
const QUOTES = "'\"";

export function shlexSplit(line: string): ShlexResult {
  const tokens: string[] = [];
  let token = "";
  let inWord = false; // a token has started (possibly an empty quoted one)
  let quote = ""; // the open quote character, if any
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote !== "") {
      if (ch === quote) quote = "";
      else if (ch === "\\" && quote === '"') {
        const next = line[i + 1];
        if (next === undefined) return { ok: false, problem: "no escaped character" };
        token += next === '"' || next === "\\" ? next : ch + next;
        i++;
      } else token += ch;
      continue;
    }
    if (WHITESPACE.includes(ch)) {
      if (inWord) tokens.push(token);
      token = "";
      inWord = false;
    } else if (ch === "#") {
      break;
    } else if (QUOTES.includes(ch)) {
      quote = ch;
      inWord = true;
    } else if (ch === "\\") {
      const next = line[i + 1];
      if (next === undefined) return { ok: false, problem: "no escaped character" };
      token += next;
      inWord = true;
      i++;
    } else {
      token += ch;
      inWord = true;
    }
  }
  if (quote !== "") return { ok: false, problem: "no closing quotation" };
  if (inWord) tokens.push(token);
  return { ok: true, tokens };
}
