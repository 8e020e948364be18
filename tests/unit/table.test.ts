/** src/table.ts: the one table formatter every report uses. */
import { describe, expect, it } from "vitest";
import { formatTable, tableLines } from "../../src/table.js";

describe("formatTable()", () => {
  it("pads each column to its widest cell, header included, two spaces apart", () => {
    expect(formatTable(["host", "result", "error"], [["node1", "ok", ""], ["n2", "failed", "boom"]])).toBe(
      ["host   result  error", "node1  ok", "n2     failed  boom", ""].join("\n"),
    );
  });

  it("never pads the last column, so a long message does not widen the table", () => {
    const lines = tableLines(["a", "msg"], [["x", "a very long message indeed"], ["yy", "short"]]);
    expect(lines).toEqual(["a   msg", "x   a very long message indeed", "yy  short"]);
  });

  it("leaves no trailing blanks when the last cells are empty, and reads missing cells as empty", () => {
    expect(tableLines(["host", "state", "detail"], [["node1", "", ""], ["node2"]])).toEqual(["host   state  detail", "node1", "node2"]);
  });

  it("is just the header for no rows", () => {
    expect(formatTable(["host", "result"], [])).toBe("host  result\n");
  });
});
