/**
 * Python's `shlex.split(s, comments=..., posix=True)`, the one word splitter of kolla-deploy. It is
 * what the other side uses for every string we split: Ansible's INI inventory plugin splits host
 * lines with it (comments=True), its ssh connection plugin splits ansible_ssh_*_args with it, and
 * docker-py splits a container's `command` with it. Pure; tests compare it with python3 itself.
 *
 * Python's rules, which are not a POSIX shell's:
 * - inside double quotes a backslash escapes only `"` and `\`; before anything else (`$`, a
 *   backtick, a newline) it stays, with the character after it;
 * - outside quotes a backslash takes the next character literally, a newline included (no line
 *   continuation); inside single quotes it is an ordinary character;
 * - whitespace is only space, tab, CR and LF;
 * - with comments, `#` outside quotes ends the word it is in (even mid-word) and the rest of the
 *   line is skipped;
 * - a quoted empty string is a word (`''`), and there is no expansion of any kind.
 */
import { DeployError } from "./errors.js";

export type ShlexResult = { ok: true; tokens: string[] } | { ok: false; problem: string };

export interface ShlexOptions {
  /** `#` starts a comment (Python's comments=True). Default false, as shlex.split's. */
  readonly comments?: boolean;
}

const WHITESPACE = " \t\r\n";

/** Splits `text` into words, or says why Python would raise ValueError. */
export function shlexSplit(text: string, options: ShlexOptions = {}): ShlexResult {
  const tokens: string[] = [];
  let token = "";
  // " ": between words; "a": in a word (possibly an empty quoted one); a quote: inside it.
  let state: " " | "a" | "'" | '"' = " ";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (state === "'" || state === '"') {
      if (ch === state) state = "a";
      else if (ch === "\\" && state === '"') {
        const next = text[++i];
        if (next === undefined) return { ok: false, problem: "no escaped character" };
        token += next === '"' || next === "\\" ? next : `\\${next}`;
      } else token += ch;
    } else if (WHITESPACE.includes(ch) || (options.comments === true && ch === "#")) {
      if (state === "a") tokens.push(token);
      token = "";
      state = " ";
      if (ch === "#") {
        const newline = text.indexOf("\n", i);
        if (newline < 0) break;
        i = newline;
      }
    } else if (ch === "'" || ch === '"') {
      state = ch;
    } else if (ch === "\\") {
      const next = text[++i];
      if (next === undefined) return { ok: false, problem: "no escaped character" };
      token += next;
      state = "a";
    } else {
      token += ch;
      state = "a";
    }
  }
  if (state === "'" || state === '"') return { ok: false, problem: "no closing quotation" };
  if (state === "a") tokens.push(token);
  return { ok: true, tokens };
}

/** shlexSplit, throwing where Python would: `what` names the text in the error. */
export function shlexWords(text: string, what: string, options: ShlexOptions = {}): string[] {
  const split = shlexSplit(text, options);
  if (split.ok) return split.tokens;
  throw new DeployError("E_SHLEX", `cannot split ${what} into words: ${split.problem}: ${text}`, "close every quote and end no word with a lone backslash; the text is split like Python's shlex.split");
}
