import { describe, expect, it } from "vitest";
import { parseIniValue } from "../../../src/inventory/pyliteral.js";
import { shlexSplit } from "../../../src/shlex.js";

describe("INI values typed like Python's ast.literal_eval", () => {
  it.each<[string, unknown]>([
    ["42", 42], ["-7", -7], ["1.5", 1.5], ["1e3", 1000], ["0x1F", 31], ["0o17", 15], ["0b101", 5], ["1_000", 1000], ["00", 0],
    ["True", true], ["False", false], ["None", null],
    ["'07'", "07"], ['"a b"', "a b"], ["'a' 'b'", "ab"], ["'a\\tb'", "a\tb"], ["r'\\d'", "\\d"],
    ["[1, 'a', True]", [1, "a", true]], ["(1, 2)", [1, 2]], ["1,2", [1, 2]], ["()", []],
    ["{'k': [1, 2], 'n': None}", { k: [1, 2], n: null }], ["{}", {}],
    ["5 # comment", 5], ["-(1)", -1],
  ])("%s is a literal", (text, value) => expect(parseIniValue(text)).toEqual(value));

  it.each(["010", "yes", "on", "hello world", "a=b", "1+1", "len(x)", "--1", "-True", "1abc", "f'x'", "'open", "http://x:1/y", ""])(
    "%s stays a string",
    (text) => expect(parseIniValue(text)).toBe(text),
  );

  it("never writes to Object.prototype", () => {
    const v = parseIniValue("{'__proto__': {'polluted': 1}}") as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(v)).toEqual(["__proto__"]);
  });
});

describe("shlex like Python's, for host lines", () => {
  it("splits with quotes, escapes and comments", () => {
    expect(shlexSplit(`h x="a \\"b" y='c d' z=e\\ f # c`, { comments: true })).toEqual({ ok: true, tokens: ["h", 'x=a "b', "y=c d", "z=e f"] });
    expect(shlexSplit("a#b c=1", { comments: true })).toEqual({ ok: true, tokens: ["a"] });
    expect(shlexSplit("h e=''", { comments: true })).toEqual({ ok: true, tokens: ["h", "e="] });
  });
  it("reports an open quote", () => expect(shlexSplit("h x='a", { comments: true })).toEqual({ ok: false, problem: "no closing quotation" }));
});
