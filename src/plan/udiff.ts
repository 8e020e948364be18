/**
 * Unified diffs of config files for plans (`--check`). Config files are small, so a plain
 * longest-common-subsequence table is fast enough and keeps the code obvious.
 */

type Op = { kind: " " | "-" | "+"; line: string; oldNo: number; newNo: number };

function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

function editScript(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j] = length of the LCS of a[i..] and b[j..]
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ kind: " ", line: a[i]!, oldNo: i++, newNo: j++ });
    } else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      ops.push({ kind: "-", line: a[i]!, oldNo: i++, newNo: j });
    } else {
      ops.push({ kind: "+", line: b[j]!, oldNo: i, newNo: j++ });
    }
  }
  return ops;
}

/** Groups changed lines with `context` lines around them into hunks; close hunks merge. */
function hunks(ops: readonly Op[], context: number): Op[][] {
  const ranges: [number, number][] = [];
  ops.forEach((op, index) => {
    if (op.kind === " ") return;
    const from = Math.max(0, index - context);
    const to = Math.min(ops.length - 1, index + context);
    const last = ranges[ranges.length - 1];
    if (last !== undefined && from <= last[1] + 1) last[1] = to;
    else ranges.push([from, to]);
  });
  return ranges.map(([from, to]) => ops.slice(from, to + 1));
}

function hunkHeader(hunk: readonly Op[]): string {
  const olds = hunk.filter((o) => o.kind !== "+");
  const news = hunk.filter((o) => o.kind !== "-");
  const oldStart = olds.length > 0 ? olds[0]!.oldNo + 1 : hunk[0]!.oldNo;
  const newStart = news.length > 0 ? news[0]!.newNo + 1 : hunk[0]!.newNo;
  return `@@ -${oldStart},${olds.length} +${newStart},${news.length} @@`;
}

/** A unified diff, or "" when the texts are equal. `oldText` undefined means the file does not exist yet. */
export function unifiedDiff(
  oldText: string | undefined,
  newText: string,
  names: { oldName: string; newName: string },
  context = 3,
): string {
  if (oldText === newText) return "";
  const ops = editScript(splitLines(oldText ?? ""), splitLines(newText));
  const body = hunks(ops, context).flatMap((h) => [hunkHeader(h), ...h.map((o) => `${o.kind}${o.line}`)]);
  const oldName = oldText === undefined ? "/dev/null" : names.oldName;
  return [`--- ${oldName}`, `+++ ${names.newName}`, ...body].join("\n") + "\n";
}
