/** Plain-text tables for the verbs' reports: columns padded to their widest cell, the last column free text. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const last = header.length - 1;
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (i === last ? 0 : (r[i] ?? "").length))));
  const line = (r: readonly string[]) => r.map((c, i) => (i === last ? c : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}
