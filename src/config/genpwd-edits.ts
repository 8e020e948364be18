/**
 * Minimal text edits that put values into empty YAML entries. We splice into the original text
 * rather than re-stringify the Document: yaml's stringifier re-attaches a comment that follows an
 * empty value (`key:` then `# comment` on the next line) as a trailing comment of that key,
 * which would reshuffle kolla-style files. Splicing leaves every other byte as it was.
 */
import { scalarText, type Node, type Scalar } from "../yaml/index.js";

export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** What goes into an entry: a scalar (optionally as a `|` block) or a small mapping of scalars. */
export type EntryContent =
  | { kind: "scalar"; value: string; block?: boolean }
  | { kind: "mapping"; entries: readonly { key: string; value: string; block?: boolean }[] };

/** The key node and the empty (null) value node of one mapping entry, with their source ranges. */
export interface EmptyEntry {
  key: Node;
  value: Scalar;
}

function plain(value: string): string {
  // Quoted only when a plain scalar would read back as something else in Ansible (a number, a bool...).
  return scalarText(value);
}

function blockLines(value: string, indent: number, newline: string): string {
  const pad = " ".repeat(indent);
  return value.replace(/\n$/, "").split("\n").map((line) => pad + line).join(newline);
}

function entryText(key: string, value: string, block: boolean | undefined, indent: number, newline: string): string {
  const head = " ".repeat(indent) + key + ":";
  return block ? `${head} |${newline}${blockLines(value, indent + 2, newline)}` : `${head} ${plain(value)}`;
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf("\n", offset - 1) + 1);
}

function lineEndFrom(text: string, offset: number): number {
  const match = /[\r\n]/.exec(text.slice(offset));
  return match === null ? text.length : offset + match.index;
}

/** The edits that fill one empty entry with `content`, keeping any comment on its line. */
export function editsForEntry(text: string, entry: EmptyEntry, content: EntryContent): TextEdit[] {
  const keyEnd = entry.key.range?.[1];
  const valueEnd = entry.value.range?.[1];
  if (keyEnd === undefined || valueEnd === undefined) throw new Error("yaml node without a source range");
  const afterColon = text.indexOf(":", keyEnd) + 1;
  const newline = text.includes("\r\n") ? "\r\n" : "\n";
  const lineEnd = lineEndFrom(text, valueEnd);
  const atEof = lineEnd === text.length;
  // A comment after the value needs whitespace before its '#', or it would join the value.
  const gap = /[^\s]/.test(text.charAt(valueEnd)) ? " " : "";
  const indent = columnOf(text, entry.key.range?.[0] ?? keyEnd) + 2;

  if (content.kind === "scalar" && !content.block) {
    return [{ start: afterColon, end: valueEnd, text: ` ${plain(content.value)}${gap}` }];
  }
  const header = content.kind === "scalar" ? ` |${gap}` : gap;
  const body =
    content.kind === "scalar"
      ? blockLines(content.value, indent, newline)
      : content.entries.map((e) => entryText(e.key, e.value, e.block, indent, newline)).join(newline);
  return [
    { start: afterColon, end: valueEnd, text: header },
    { start: lineEnd, end: lineEnd, text: newline + body + (atEof ? newline : "") },
  ];
}

/** Applies non-overlapping edits; edits at the same offset land in the order given. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const ordered = edits.map((edit, index) => ({ edit, index })).sort((a, b) => b.edit.start - a.edit.start || b.index - a.index);
  let out = text;
  for (const { edit } of ordered) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}
