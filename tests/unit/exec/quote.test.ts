import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { becomeArgv, quoteArgv, quoteWord } from "../../../src/exec/quote.js";
import { shlexWords } from "../../../src/shlex.js";

const NASTY = [
  "",
  " ",
  "plain",
  "it's",
  "''",
  "a'b'c",
  '"double"',
  "$HOME",
  "`id`",
  "$(id)",
  "a\\b",
  "new\nline",
  "tab\there",
  "*",
  "~",
  "-n",
  "--",
  "; rm -rf /",
  "x|y&z>w<v",
  "ünïcødé ✓",
  "!history",
  "{a,b}",
];

describe("quoteWord()", () => {
  it("leaves safe words alone and quotes everything else", () => {
    expect(quoteWord("/etc/kolla/x.conf")).toBe("/etc/kolla/x.conf");
    expect(quoteWord("")).toBe("''");
    expect(quoteWord("it's")).toBe(`'it'\\''s'`);
    expect(quoteWord("$HOME")).toBe("'$HOME'");
  });

  it("round-trips nasty strings through a real POSIX shell byte for byte", () => {
    const script = `for a in ${NASTY.map(quoteWord).join(" ")}; do printf '%s\\0' "$a"; done`;
    const out = execFileSync("sh", ["-c", script], { encoding: "utf8" });
    expect(out.split("\0").slice(0, -1)).toEqual(NASTY);
  });

  it("refuses NUL bytes, which no shell word can carry", () => {
    expect(() => quoteWord("a\0b")).toThrow(/NUL/);
  });
});

describe("quoteArgv()", () => {
  it("quotes each word once and joins with spaces", () => {
    expect(quoteArgv(["echo", "a b", "c"])).toBe("echo 'a b' c");
  });

  it("refuses an empty argv", () => {
    expect(() => quoteArgv([])).toThrow();
  });

  it("runs the intended argv when the shell parses it", () => {
    const line = quoteArgv(["printf", "%s|", ...NASTY]);
    expect(execFileSync("sh", ["-c", line], { encoding: "utf8" })).toBe(NASTY.map((a) => `${a}|`).join(""));
  });
});

describe("becomeArgv()", () => {
  it("wraps with non-interactive sudo, the target user and an end of options", () => {
    expect(becomeArgv(["id", "-u"], "root")).toEqual(["sudo", "-n", "-H", "-u", "root", "--", "id", "-u"]);
  });
});

describe("quoteArgv() and the shlex split", () => {
  it("splits like a shell: quotes, escapes, adjacent parts", () => {
    expect(shlexWords(`-o 'UserKnownHostsFile=/a b' -o"StrictHostKeyChecking=no" x\\ y "a\\"b" ''`, "ssh arguments")).toEqual([
      "-o",
      "UserKnownHostsFile=/a b",
      "-oStrictHostKeyChecking=no",
      "x y",
      'a"b',
      "",
    ]);
  });

  it("inverts quoteArgv", () => {
    expect(shlexWords(quoteArgv(NASTY.filter((w) => w !== "")), "argv")).toEqual(NASTY.filter((w) => w !== ""));
  });

  it("reports an unterminated quote", () => {
    expect(() => shlexWords("-o 'oops", "ssh arguments")).toThrow(/no closing quotation/);
  });
});
