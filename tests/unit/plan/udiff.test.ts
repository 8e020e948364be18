import { describe, expect, it } from "vitest";
import { redactSecrets as redact } from "../../../src/redact.js";
import { unifiedDiff } from "../../../src/plan/udiff.js";

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

describe("redact()", () => {
  it("hides every secret, longest first", () => {
    expect(redact("url = mysql://nova:s3cretpw@db/nova s3cretpw2", ["s3cretpw", "s3cretpw2"])).toBe(
      "url = mysql://nova:<redacted>@db/nova <redacted>",
    );
  });
});
