import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../helpers/cli.js";
import { DeployError } from "../../../src/errors.js";
import { ORPHAN_SECTION, mergeIni, parseIni } from "../../../src/merge/index.js";
import { splitKeyValue } from "../../../src/merge/ini-parse.js";
import { pyLen, pyStrip, splitLines } from "../../../src/merge/pystr.js";

describe("Python string rules", () => {
  it("pyStrip() strips Python whitespace, not JavaScript's", () => {
    expect(pyStrip("\x1c\x85 a \u3000")).toBe("a");
    expect(pyStrip("\ufeffa")).toBe("\ufeffa");
  });

  it("pyLen() counts code points", () => {
    expect(pyLen("k😀y")).toBe(3);
  });

  it("splitLines() ends lines at \\n, \\r\\n and \\r like Python's universal newlines", () => {
    expect(splitLines("a\r\nb\rc\n\nd\n")).toEqual(["a", "b", "c", "", "d"]);
    expect(splitLines("")).toEqual([]);
  });
});

describe("splitKeyValue()", () => {
  it("splits at the first of '=' or ':'", () => {
    expect(splitKeyValue("a:b = c")).toEqual({ key: "a", firstLine: "b = c" });
    expect(splitKeyValue("a = b:c")).toEqual({ key: "a", firstLine: "b:c" });
  });

  it("strips matching quotes, including a lone quote, and keeps mismatched ones", () => {
    expect(splitKeyValue("k = '\"x\"'")?.firstLine).toBe("\"x\"");
    expect(splitKeyValue("k = \"")?.firstLine).toBe("");
    expect(splitKeyValue("k = \"x'")?.firstLine).toBe("\"x'");
  });

  it("returns undefined when there is no separator", () => {
    expect(splitKeyValue("just words")).toBeUndefined();
  });
});

describe("parseIni()", () => {
  it("keeps orphan keys, multi-values and multi-line values in order", () => {
    const doc = parseIni({ path: "x.conf", text: "top = 1\n[s]\nk = a\nk = b\n  c\nempty =\n" });
    expect([...doc.sections.keys()]).toEqual([ORPHAN_SECTION, "s"]);
    expect(doc.sections.get("s")?.get("k")).toEqual([["a"], ["b", "c"]]);
    expect(doc.sections.get("s")?.get("empty")).toEqual([[]]);
  });

  it("is not fooled by keys named like Object.prototype members", () => {
    const doc = parseIni({ path: "x.conf", text: "[__proto__]\n__proto__ = x\nconstructor = y\n" });
    expect(doc.sections.get("__proto__")?.get("__proto__")).toEqual([["x"]]);
    expect(({} as Record<string, unknown>)["x"]).toBeUndefined();
  });

  it("throws a DeployError naming file and line, without echoing the line's text", () => {
    const secretLine = "s3cr3t-password-value";
    let caught: unknown;
    try {
      parseIni({ path: "/etc/kolla/config/nova.conf", text: `[DEFAULT]\nok = 1\n${secretLine}\n` });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DeployError);
    const oneLine = (caught as DeployError).oneLine();
    expect(oneLine).toMatch(/^\/etc\/kolla\/config\/nova\.conf:3: .*\[E_INI_ASSIGNMENT\] \(hint: .+\)$/);
    expect(oneLine).not.toContain(secretLine);
  });
});

describe("mergeIni()", () => {
  it("numbers lines per file, not cumulatively as kolla does", () => {
    expect(() => mergeIni([{ path: "a.conf", text: "[a]\nk = v\n\n\n" }, { path: "b.conf", text: "oops\n" }])).toThrow(
      expect.objectContaining({ where: { file: "b.conf", line: 1 } }),
    );
  });

  it("returns an empty text for no sources", () => {
    expect(mergeIni([])).toBe("");
  });
});

describe("kolla-deploy merge-ini", () => {
  it("skips missing files like kolla, saying so on stderr once per file", () => {
    const dir = mkdtempSync(join(tmpdir(), "merge-ini-"));
    writeFileSync(join(dir, "global.conf"), "[DEFAULT]\ndebug = True\n");
    // Absolute paths: runCli's `--import tsx` only resolves with a cwd inside the repository.
    const [missing, global, nested] = ["missing.conf", "global.conf", "nova/missing.conf"].map((f) => join(dir, f));
    const result = runCli(["merge-ini", missing!, global!, nested!]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("[DEFAULT]\ndebug = True\n\n");
    expect(result.stderr.trimEnd().split("\n")).toEqual([
      `note: skipping ${missing}: file does not exist`,
      `note: skipping ${nested}: file does not exist`,
    ]);
  });

  it("prints nothing when every file is missing", () => {
    const result = runCli(["merge-ini", "/nonexistent/a.conf"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("");
  });

  it("rejects a call without files as a usage error", () => {
    expect(runCli(["merge-ini"]).code).toBe(64);
  });
});
