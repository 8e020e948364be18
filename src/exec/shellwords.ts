/**
 * Splits a string into words the way a POSIX shell would (quotes and backslashes, no expansion).
 * Ansible passes ansible_ssh_common_args/extra_args through shlex; this is our equivalent.
 */

export class ShellWordsError extends Error {}

/** Splits `input` into words; throws ShellWordsError on an unterminated quote. */
export function splitShellWords(input: string): string[] {
  const words: string[] = [];
  let current: string | undefined;
  let i = 0;
  const append = (text: string): void => {
    current = (current ?? "") + text;
  };
  while (i < input.length) {
    const ch = input[i]!;
    if (/\s/.test(ch)) {
      if (current !== undefined) words.push(current);
      current = undefined;
      i++;
    } else if (ch === "'") {
      const end = input.indexOf("'", i + 1);
      if (end < 0) throw new ShellWordsError(`unterminated single quote in: ${input}`);
      append(input.slice(i + 1, end));
      i = end + 1;
    } else if (ch === '"') {
      const [text, next] = readDoubleQuoted(input, i + 1);
      append(text);
      i = next;
    } else if (ch === "\\") {
      // A backslash-newline is a line continuation; any other escaped character is literal.
      if (input[i + 1] !== "\n") append(input[i + 1] ?? "");
      i += 2;
    } else {
      append(ch);
      i++;
    }
  }
  if (current !== undefined) words.push(current);
  return words;
}

/** Reads a double-quoted section starting after the opening quote; returns text and next index. */
function readDoubleQuoted(input: string, start: number): [string, number] {
  let text = "";
  let i = start;
  while (i < input.length) {
    const ch = input[i]!;
    if (ch === '"') return [text, i + 1];
    // In double quotes a backslash escapes only these characters.
    if (ch === "\\" && i + 1 < input.length && '$`"\\\n'.includes(input[i + 1]!)) {
      if (input[i + 1] !== "\n") text += input[i + 1];
      i += 2;
    } else {
      text += ch;
      i++;
    }
  }
  throw new ShellWordsError(`unterminated double quote in: ${input}`);
}
