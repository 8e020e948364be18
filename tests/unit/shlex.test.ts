/**
 * src/shlex.ts against python3's own shlex.split, for the strings the two old copies (inventory's
 * and exec's) disagreed on and the usual hard cases. Python is asked once for the whole corpus.
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shlexSplit, shlexWords, type ShlexResult } from "../../src/shlex.js";

const CORPUS = [
  "",
  "   \t ",
  "plain words here",
  "  leading and trailing  ",
  `single 'quoted words' and 'it''s'`,
  `double "quoted words" here`,
  `adjacent'single'"double"plain`,
  `empty '' "" quotes`,
  `''`,
  `a\\ b c\\\\d`,
  `"a \\" b" "c \\\\ d"`,
  `"dollar \\$HOME and \\\`id\\\`"`,
  `"backslash before x: \\x"`,
  `'single \\ stays' 'and \\' after`,
  `"line\\\ncontinued"`,
  `outside\\\nnewline`,
  `$HOME $(id) \`id\` ~ * ?`,
  `x="a \\"b" y='c d' z=e\\ f # c`,
  `host ansible_host=10.0.0.1 # trailing comment`,
  `a#b c=1`,
  `"#not a comment" '#nor this' x\\#y`,
  `first # comment\nsecond line`,
  `tab\tseparated\r\nand crlf`,
  `unicode: ünïcödé "naïve café" 'δοκιμή' 中文`,
  `emoji 😀 "🚀 rocket" \\😀 "\\😀"`,
  `nbsp\u00a0is not whitespace`,
  `-o 'UserKnownHostsFile=/a b' -o"StrictHostKeyChecking=no" -oProxyCommand="ssh -W %h:%p j"`,
  `sh -c 'exec foo --bar "x y"'`,
  `kolla_start --config "/etc/kolla/x.json"`,
  `open 'quote`,
  `open "quote`,
  `trailing backslash\\`,
  `"backslash at the end of a quote\\`,
];

type Outcome = string[] | { error: string };

/** python3's answer for every corpus string, with comments off and on. */
function pythonSplits(comments: boolean): Outcome[] {
  const script = `
import json, shlex, sys
out = []
for s in json.load(sys.stdin):
    try:
        out.append(shlex.split(s, comments=${comments ? "True" : "False"}, posix=True))
    except ValueError as e:
        out.append({"error": str(e).lower()})
print(json.dumps(out))
`;
  return JSON.parse(execFileSync("python3", ["-c", script], { input: JSON.stringify(CORPUS), encoding: "utf8" })) as Outcome[];
}

function outcome(result: ShlexResult): Outcome {
  return result.ok ? result.tokens : { error: result.problem };
}

describe("shlexSplit() is Python's shlex.split(s, posix=True)", () => {
  for (const comments of [false, true]) {
    it(`agrees with python3 on ${CORPUS.length} strings, comments=${comments}`, () => {
      const python = pythonSplits(comments);
      const ours = CORPUS.map((s) => outcome(shlexSplit(s, { comments })));
      CORPUS.forEach((s, i) => expect([s, ours[i]]).toEqual([s, python[i]]));
    });
  }

  it("keeps the backslash inside double quotes before anything but \" and \\ (unlike sh)", () => {
    expect(shlexSplit(`"\\$x \\\`y\\\` \\" \\\\"`)).toEqual({ ok: true, tokens: ["\\$x \\`y\\` \" \\"] });
  });

  it("ends a word at # only with comments, as Ansible's INI plugin splits host lines", () => {
    expect(shlexSplit("a#b c=1")).toEqual({ ok: true, tokens: ["a#b", "c=1"] });
    expect(shlexSplit("a#b c=1", { comments: true })).toEqual({ ok: true, tokens: ["a"] });
  });
});

describe("shlexWords()", () => {
  it("returns the words, or throws a DeployError naming the text", () => {
    expect(shlexWords(`a "b c" ''`, "x")).toEqual(["a", "b c", ""]);
    expect(() => shlexWords("a 'b", "the container command")).toThrow(/cannot split the container command into words: no closing quotation/);
    expect(() => shlexWords("a\\", "x")).toThrow(expect.objectContaining({ code: "E_SHLEX" }));
  });
});
