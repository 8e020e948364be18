/**
 * The one text table of kolla-deploy (run summaries, check, pull, stop, destroy, prune-images,
 * lock status, history, prechecks, upgrade, bootstrap-servers). Pure; callers redact.
 *
 * Columns are two spaces apart and padded to their widest cell, header included. The last column
 * is free text and never padded: a long error message there does not widen the table, and no line
 * ends in blanks.
 */

export type Row = readonly string[];

/** The table as lines, header first: for callers that put more lines between or after the rows. */
export function tableLines(headers: Row, rows: readonly Row[]): string[] {
  const last = headers.length - 1;
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (i === last ? 0 : (r[i] ?? "").length))));
  const line = (r: Row) =>
    headers
      .map((_, i) => (i === last ? (r[i] ?? "") : (r[i] ?? "").padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}

/** The table as text, each line (the last too) ending in a newline. */
export function formatTable(headers: Row, rows: readonly Row[]): string {
  return tableLines(headers, rows).join("\n") + "\n";
}
