/**
 * Unified diffs of config files for plans (`--check`). jsdiff (the `diff` package) computes them and
 * enters the code base only here; its Myers diff costs time and memory in proportion to the number
 * of changed lines, not the product of the files' lengths.
 *
 * A diff is read on a terminal, so a change nobody can see must still show:
 * - a missing newline at the end of either file gets jsdiff's `\ No newline at end of file` line;
 * - in every line of the body, a carriage return, a tab or any other control character is shown
 *   as its Unicode control picture (`␍`, `␉`, ...), and spaces at the end of a line as `␠`, so
 *   CRLF against LF, a tab against spaces and trailing blanks all differ to the eye. (A raw CR or
 *   escape sequence would also rewrite the terminal line.) The diff is for reading, not `patch`.
 */
import { structuredPatch, type StructuredPatchHunk } from "diff";

export interface DiffNames {
  readonly oldName: string;
  readonly newName: string;
}

export interface DiffOptions {
  /** Lines of context around each change (default 3). */
  readonly context?: number;
  /** Applied to the raw text of every shown line before it is made visible (secret redaction). */
  readonly mask?: (line: string) => string;
}

/** Beyond this many changed lines the edit script is not worth its cost: the whole file is replaced. */
const MAX_EDIT_LENGTH = 1000;
const NO_NEWLINE = "\\ No newline at end of file";

/** Control characters as their control pictures; trailing spaces as ␠. */
export function visibleWhitespace(line: string): string {
  const pictured = line.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === "\u007f" ? "\u2421" : String.fromCharCode(0x2400 + c.charCodeAt(0))));
  return pictured.replace(/ +$/, (spaces) => "\u2420".repeat(spaces.length));
}

function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** One hunk replacing every line, for files too different for an edit script. */
function replaceAll(oldText: string, newText: string): StructuredPatchHunk[] {
  const side = (text: string, sign: string): string[] => {
    const lines = splitLines(text).map((l) => sign + l);
    return text !== "" && !text.endsWith("\n") ? [...lines, NO_NEWLINE] : lines;
  };
  const oldLines = side(oldText, "-");
  const newLines = side(newText, "+");
  const count = (lines: string[]) => lines.filter((l) => l !== NO_NEWLINE).length;
  return [{ oldStart: 1, oldLines: count(oldLines), newStart: 1, newLines: count(newLines), lines: [...oldLines, ...newLines] }];
}

function hunksOf(oldText: string, newText: string, context: number): StructuredPatchHunk[] {
  const patch = structuredPatch("", "", oldText, newText, undefined, undefined, { context, maxEditLength: MAX_EDIT_LENGTH });
  return patch === undefined ? replaceAll(oldText, newText) : patch.hunks;
}

/** `@@ -a,b +c,d @@`, with the start one lower for an empty side, as diff -u writes it. */
function hunkHeader(h: StructuredPatchHunk): string {
  const oldStart = h.oldLines === 0 ? h.oldStart - 1 : h.oldStart;
  const newStart = h.newLines === 0 ? h.newStart - 1 : h.newStart;
  return `@@ -${oldStart},${h.oldLines} +${newStart},${h.newLines} @@`;
}

function bodyLine(line: string, mask: (line: string) => string): string {
  if (line.startsWith("\\")) return line;
  return line[0] + visibleWhitespace(mask(line.slice(1)));
}

/** A unified diff, or "" when the texts are equal. `oldText` undefined means the file does not exist yet. */
export function unifiedDiff(oldText: string | undefined, newText: string, names: DiffNames, options: DiffOptions = {}): string {
  if (oldText === newText) return "";
  const mask = options.mask ?? ((line: string) => line);
  const hunks = hunksOf(oldText ?? "", newText, options.context ?? 3);
  const body = hunks.flatMap((h) => [hunkHeader(h), ...h.lines.map((l) => bodyLine(l, mask))]);
  const oldName = oldText === undefined ? "/dev/null" : names.oldName;
  return [`--- ${oldName}`, `+++ ${names.newName}`, ...body].join("\n") + "\n";
}
