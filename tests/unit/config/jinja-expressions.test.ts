import { describe, expect, it } from "vitest";
import { DeployError } from "../../../src/errors.js";
import { evaluateExpression } from "../../../src/config/index.js";

const VARS: Record<string, unknown> = {
  release: "2025.1",
  distro: "debian",
  count: 3,
  ratio: 0.5,
  yes_string: "yes",
  empty: "",
  nothing: null,
  list: [1, 2, 3],
  names: ["a", "b"],
  dict: { key: "value", nested: { deep: 42 }, "with-dash": "dashed" },
};

const lookup = (name: string): unknown => VARS[name];
const ev = (expr: string): unknown => evaluateExpression(expr, lookup);

function errorOf(fn: () => unknown): DeployError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DeployError) return error;
    throw error;
  }
  throw new Error("expected a DeployError");
}

describe("evaluateExpression() literals and names", () => {
  it.each([
    ["'single'", "single"],
    ['"double"', "double"],
    ["'it\\'s'", "it's"],
    ["'a' 'b'", "ab"],
    ["42", 42],
    ["-7", -7],
    ["1.5", 1.5],
    ["true", true],
    ["True", true],
    ["false", false],
    ["none", null],
    ["None", null],
    ["[1, 'two', [3]]", [1, "two", [3]]],
    ["[]", []],
    ["{'a': 1, 'b': [2]}", { a: 1, b: [2] }],
    ["{}", {}],
  ])("%s evaluates to its value", (expr, expected) => {
    expect(ev(expr)).toEqual(expected);
  });

  it("reads variables, dotted attributes and [...] subscripts", () => {
    expect(ev("release")).toBe("2025.1");
    expect(ev("dict.key")).toBe("value");
    expect(ev("dict.nested.deep")).toBe(42);
    expect(ev("dict['with-dash']")).toBe("dashed");
    expect(ev("dict['nested']['deep']")).toBe(42);
    expect(ev("list[0]")).toBe(1);
    expect(ev("list[-1]")).toBe(3);
    expect(ev("list.1")).toBe(2);
    expect(ev("names[count - 2]")).toBe("b");
  });
});

describe("evaluateExpression() operators", () => {
  it.each([
    ["release ~ '-' ~ distro", "2025.1-debian"],
    ["count ~ 'x'", "3x"],
    ["true ~ ''", "True"],
    ["nothing ~ ''", "None"],
    ["count + 2", 5],
    ["count - 5", -2],
    ["count * 2", 6],
    ["count / 2", 1.5],
    ["7 // 2", 3],
    ["-7 % 3", 2],
    ["2 ** 3", 8],
    ["'ab' + 'cd'", "abcd"],
    ["list + [4]", [1, 2, 3, 4]],
    ["'-' * 3", "---"],
    ["1 + 2 * 3", 7],
    ["(1 + 2) * 3", 9],
    ["2 * 3 ~ 'x'", "6x"],
    ["'a' ~ (1 + 2)", "a3"],
  ])("%s", (expr, expected) => {
    expect(ev(expr)).toEqual(expected);
  });

  it.each([
    ["count == 3", true],
    ["count != 3", false],
    ["release == '2025.1'", true],
    ["'3' == 3", false],
    ["list == [1, 2, 3]", true],
    ["dict.nested == {'deep': 42}", true],
    ["count < 4", true],
    ["count > 4", false],
    ["count <= 3", true],
    ["count >= 4", false],
    ["'a' < 'b'", true],
    ["1 < count < 5", true],
    ["1 < count < 2", false],
    ["2 in list", true],
    ["9 not in list", true],
    ["'key' in dict", true],
    ["'ebi' in distro", true],
    ["'x' not in distro", true],
  ])("%s is %s", (expr, expected) => {
    expect(ev(expr)).toBe(expected);
  });

  it("and/or/not follow Python truthiness and return an operand", () => {
    expect(ev("count and release")).toBe("2025.1");
    expect(ev("empty and release")).toBe("");
    expect(ev("empty or 'fallback'")).toBe("fallback");
    expect(ev("nothing or list")).toEqual([1, 2, 3]);
    expect(ev("not empty")).toBe(true);
    expect(ev("not yes_string")).toBe(false);
    expect(ev("not count == 3")).toBe(false);
    expect(ev("count == 3 and not empty or false")).toBe(true);
  });

  it("and/or short-circuit: the right side is not evaluated when not needed", () => {
    expect(ev("false and missing_name")).toBe(false);
    expect(ev("true or missing_name")).toBe(true);
  });

  it("X if C else Y, nested and without else", () => {
    expect(ev("'https' if count > 1 else 'http'")).toBe("https");
    expect(ev("'https' if empty else 'http'")).toBe("http");
    expect(ev("'a' if false else 'b' if true else 'c'")).toBe("b");
    expect(ev("'a' if false")).toBe("");
  });

  it("is defined / is undefined / is none", () => {
    expect(ev("release is defined")).toBe(true);
    expect(ev("missing is defined")).toBe(false);
    expect(ev("missing is undefined")).toBe(true);
    expect(ev("dict.nope is not defined")).toBe(true);
    expect(ev("nothing is none")).toBe(true);
    expect(ev("release is not none")).toBe(true);
  });
});

describe("evaluateExpression() errors", () => {
  it("an undefined name is an E_VAR_UNDEFINED naming it", () => {
    const error = errorOf(() => ev("missing ~ 'x'"));
    expect(error.code).toBe("E_VAR_UNDEFINED");
    expect(error.message).toContain("missing");
  });

  it("a missing attribute is undefined with its path", () => {
    const error = errorOf(() => ev("dict.nested.nope"));
    expect(error.message).toContain("dict.nested.nope");
  });

  it.each([
    ["lookup('env', 'HOME')", "function and method calls"],
    ["distro.upper()", "function and method calls"],
    ["list[1:2]", "slices"],
    ["(1, 2)", "tuples"],
    ["release | regex_replace('a', 'b')", "filter 'regex_replace'"],
    ["release is string", "test 'is string'"],
    ["names | join(d=',')", "keyword arguments"],
  ])("%s is an unsupported construct", (expr, what) => {
    const error = errorOf(() => ev(expr));
    expect(error.code).toBe("E_JINJA_UNSUPPORTED");
    expect(error.message).toContain(what);
    expect(error.hint).toContain("docs/variables.md");
  });

  it.each(["count +", "(count", "'open", "[1, 2", "count @ 2", "dict.", "release | replace('a')"])("%s is a syntax error", (expr) => {
    expect(errorOf(() => ev(expr)).code).toBe("E_JINJA_SYNTAX");
  });

  it("type errors name types, never values", () => {
    const error = errorOf(() => ev("release + 1"));
    expect(error.code).toBe("E_JINJA_TYPE");
    expect(error.message).toContain("str");
    expect(error.message).not.toContain("2025.1");
  });

  it("division by zero is an error", () => {
    expect(errorOf(() => ev("count / 0")).code).toBe("E_JINJA_TYPE");
  });
});
