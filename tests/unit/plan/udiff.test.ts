import { describe, expect, it } from "vitest";
import { redactSecrets as redact } from "../../../src/redact.js";
import { unifiedDiff, visibleWhitespace } from "../../../src/plan/udiff.js";

const names = { oldName: "a/nova.conf", newName: "b/nova.conf" };

describe("unifiedDiff()", () => {
  it("is empty for equal texts", () => {
    expect(unifiedDiff("a\nb\n", "a\nb\n", names)).toBe("");
  });

  it("shows an added option with context", () => {
    const before = "[DEFAULT]\ndebug = False\n\n[api]\nworkers = 2\n";
    const after = "[DEFAULT]\ndebug = False\nfoo = bar\n\n[api]\nworkers = 2\n";
    expect(unifiedDiff(before, after, names)).toBe(
      [
        "--- a/nova.conf",
        "+++ b/nova.conf",
        "@@ -1,5 +1,6 @@",
        " [DEFAULT]",
        " debug = False",
        "+foo = bar",
        " ",
        " [api]",
        " workers = 2",
        "",
      ].join("\n"),
    );
  });

  it("diffs a new file against /dev/null", () => {
    expect(unifiedDiff(undefined, "x\n", names)).toBe("--- /dev/null\n+++ b/nova.conf\n@@ -0,0 +1,1 @@\n+x\n");
  });

  it("splits distant changes into separate hunks", () => {
    const before = Array.from({ length: 20 }, (_, i) => `l${i}`).join("\n") + "\n";
    const after = before.replace("l1\n", "L1\n").replace("l18\n", "L18\n");
    const diff = unifiedDiff(before, after, names);
    expect(diff.match(/^@@/gm)).toHaveLength(2);
    expect(diff).toContain("@@ -1,5 +1,5 @@");
    expect(diff).toContain("@@ -16,5 +16,5 @@");
  });

  it("shows a replaced line as - then +", () => {
    const diff = unifiedDiff("a\nb\nc\n", "a\nB\nc\n", names);
    expect(diff).toContain("@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
  });
});

describe("unifiedDiff() shows changes nobody could see", () => {
  it("shows a change that only adds the final newline, with jsdiff's marker", () => {
    expect(unifiedDiff("a\nb", "a\nb\n", names)).toBe(
      ["--- a/nova.conf", "+++ b/nova.conf", "@@ -1,2 +1,2 @@", " a", "-b", "\\ No newline at end of file", "+b", ""].join("\n"),
    );
  });

  it("shows a new file without a final newline with the marker", () => {
    expect(unifiedDiff(undefined, "x", names)).toBe("--- /dev/null\n+++ b/nova.conf\n@@ -0,0 +1,1 @@\n+x\n\\ No newline at end of file\n");
  });

  it("shows trailing blanks as \u2420 and tabs as \u2409", () => {
    const diff = unifiedDiff("debug = False\nx = 1\n", "debug = False  \nx\t= 1\n", names);
    expect(diff).toContain("-debug = False\n-x = 1\n+debug = False\u2420\u2420\n+x\u2409= 1\n");
  });

  it("shows CRLF against LF as \u240d on the CRLF lines", () => {
    const diff = unifiedDiff("a\r\nb\r\n", "a\nb\n", names);
    expect(diff).toContain("@@ -1,2 +1,2 @@\n-a\u240d\n-b\u240d\n+a\n+b\n");
    expect(diff).not.toContain("\r");
  });

  it("never lets a control character through to the terminal", () => {
    expect(visibleWhitespace("a\u001b[2Jb\u007f")).toBe("a\u241b[2Jb\u2421");
    expect(visibleWhitespace("  indented, not trailing")).toBe("  indented, not trailing");
  });

  it("applies the mask to each line's own text, before blanks are made visible", () => {
    const diff = unifiedDiff("pw = old \n", "pw = new \n", names, { mask: (l) => l.replace(/(old|new) $/, "<redacted>") });
    expect(diff).toContain("-pw = <redacted>\n+pw = <redacted>\n");
  });
});

describe("unifiedDiff() on large files", () => {
  const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join("\n") + "\n";

  it("diffs two 20,000-line files with one change in the middle to one small hunk", () => {
    // The old LCS table needed 20,001 x 20,001 cells (1.6 GB); the Myers diff needs about the change.
    const before = lines(20_000, (i) => `option_${i} = ${i}`);
    const after = before.replace("option_10000 = 10000\n", "option_10000 = changed\n");
    const diff = unifiedDiff(before, after, names);
    expect(diff.match(/^@@/gm)).toEqual(["@@"]);
    expect(diff).toContain("@@ -9998,7 +9998,7 @@\n option_9997 = 9997\n");
    expect(diff).toContain("-option_10000 = 10000\n+option_10000 = changed\n");
  });

  it("replaces the whole file when more lines differ than an edit script is worth", () => {
    const before = lines(800, (i) => `old ${i}`);
    const after = lines(800, (i) => `new ${i}`) + "tail";
    const diff = unifiedDiff(before, after, names).split("\n");
    expect(diff[2]).toBe("@@ -1,800 +1,801 @@");
    expect(diff.filter((l) => l.startsWith("-") && !l.startsWith("---"))).toHaveLength(800);
    expect(diff.filter((l) => l.startsWith("+") && !l.startsWith("+++"))).toHaveLength(801);
    expect(diff.slice(-3)).toEqual(["+tail", "\\ No newline at end of file", ""]);
  });
});

describe("redact()", () => {
  it("hides every secret, longest first", () => {
    expect(redact("url = mysql://nova:s3cretpw@db/nova s3cretpw2", ["s3cretpw", "s3cretpw2"])).toBe(
      "url = mysql://nova:<redacted>@db/nova <redacted>",
    );
  });
});
