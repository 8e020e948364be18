import { describe, expect, it } from "vitest";
import { DeployError } from "../../../src/errors.js";
import { evaluateExpression } from "../../../src/config/index.js";

const VARS: Record<string, unknown> = {
  text: "  Mixed Case  ",
  dup: [3, 1, 3, "a", "a", [1], [1]],
  names: ["a", "b", "c"],
  dict: { x: 1, y: 2 },
  nothing: null,
  empty: "",
  zero: 0,
};
const ev = (expr: string): unknown => evaluateExpression(expr, (name) => VARS[name]);

describe("filter default (alias d)", () => {
  it("replaces an undefined value, including a missing attribute", () => {
    expect(ev("missing | default('x')")).toBe("x");
    expect(ev("missing | d('x')")).toBe("x");
    expect(ev("dict.nope | default(5)")).toBe(5);
    expect(ev("missing.deeper.still | default([])")).toEqual([]);
    expect(ev("missing | default")).toBe("");
  });

  it("keeps a defined value, even a falsy one, unless the second argument is true", () => {
    expect(ev("empty | default('x')")).toBe("");
    expect(ev("nothing | default('x')")).toBe(null);
    expect(ev("empty | default('x', true)")).toBe("x");
    expect(ev("zero | default(7, true)")).toBe(7);
    expect(ev("names | default([], true)")).toEqual(["a", "b", "c"]);
  });

  it("ansible.builtin.default is the same filter", () => {
    expect(ev("missing | ansible.builtin.default('x')")).toBe("x");
  });
});

describe("filter bool (Ansible truthiness)", () => {
  it.each([
    ["'yes'", true], ["'YES'", true], ["'on'", true], ["'On'", true], ["'true'", true], ["'True'", true],
    ["'1'", true], ["'y'", true], ["'Y'", true], ["1", true], ["true", true],
    ["'no'", false], ["'off'", false], ["'false'", false], ["'0'", false], ["'n'", false], ["''", false],
    ["'banana'", false], ["0", false], ["2", false], ["false", false], ["none", false], ["[1]", false],
  ])("%s | bool is %s", (input, expected) => {
    expect(ev(`${input} | bool`)).toBe(expected);
  });
});

describe("conversion filters", () => {
  it.each([
    ["'42' | int", 42], ["' 7 ' | int", 7], ["'3.9' | int", 3], ["3.9 | int", 3], ["-3.9 | int", -3],
    ["'x' | int", 0], ["'x' | int(5)", 5], ["true | int", 1], ["none | int", 0], ["'1_000' | int", 1000],
    ["'1.5' | float", 1.5], ["'2' | float", 2], ["'1e3' | float", 1000], ["'x' | float", 0], ["'0x10' | float", 0],
    ["'x' | float(2.5)", 2.5],
    ["42 | string", "42"], ["true | string", "True"], ["none | string", "None"], ["[1, 'a'] | string", "[1, 'a']"],
    ["dict | string", "{'x': 1, 'y': 2}"],
  ])("%s → %s", (expr, expected) => {
    expect(ev(expr)).toBe(expected);
  });
});

describe("string filters", () => {
  it("lower, upper, trim, replace", () => {
    expect(ev("text | lower")).toBe("  mixed case  ");
    expect(ev("text | upper")).toBe("  MIXED CASE  ");
    expect(ev("text | trim")).toBe("Mixed Case");
    expect(ev("text | trim | replace(' ', '_')")).toBe("Mixed_Case");
    expect(ev("'a.b.c' | replace('.', '')")).toBe("abc");
    expect(ev("true | lower")).toBe("true");
  });
});

describe("sequence filters", () => {
  it("join", () => {
    expect(ev("names | join(',')")).toBe("a,b,c");
    expect(ev("names | join")).toBe("abc");
    expect(ev("[1, none, true] | join('-')")).toBe("1-None-True");
  });

  it("length (and its alias count)", () => {
    expect(ev("names | length")).toBe(3);
    expect(ev("'héllo' | length")).toBe(5);
    expect(ev("dict | length")).toBe(2);
    expect(ev("names | count")).toBe(3);
    expect(ev("names | length > 2")).toBe(true);
  });

  it("list", () => {
    expect(ev("'abc' | list")).toEqual(["a", "b", "c"]);
    expect(ev("dict | list")).toEqual(["x", "y"]);
    expect(ev("names | list")).toEqual(["a", "b", "c"]);
  });

  it("unique keeps first occurrences in order, comparing structurally", () => {
    expect(ev("dup | unique")).toEqual([3, 1, "a", [1]]);
  });

  it("min, max, first, last", () => {
    expect(ev("[4, 5] | min")).toBe(4);
    expect(ev("[8, 5] | min")).toBe(5);
    expect(ev("[4, 5] | max")).toBe(5);
    expect(ev("names | first")).toBe("a");
    expect(ev("names | last")).toBe("c");
    expect(ev("[] | first | default('none')")).toBe("none");
  });
});

describe("filter ternary", () => {
  it("uses Python truthiness of the input, and the third argument for None", () => {
    expect(ev("true | ternary('a', 'b')")).toBe("a");
    expect(ev("false | ternary('a', 'b')")).toBe("b");
    expect(ev("'no' | ternary('a', 'b')")).toBe("a");
    expect(ev("('no' | bool) | ternary('a', 'b')")).toBe("b");
    expect(ev("none | ternary('a', 'b', 'c')")).toBe("c");
    expect(ev("none | ternary('a', 'b')")).toBe("b");
  });
});

describe("filter errors", () => {
  function codeOf(expr: string): string {
    try {
      ev(expr);
    } catch (error) {
      if (error instanceof DeployError) return error.code;
      throw error;
    }
    return "none";
  }

  it("an undefined input to any filter but default is undefined", () => {
    expect(codeOf("missing | bool")).toBe("E_VAR_UNDEFINED");
  });

  it("wrong argument counts are syntax errors", () => {
    expect(codeOf("names | join(',', 'x')")).toBe("E_JINJA_SYNTAX");
    expect(codeOf("'x' | lower(1)")).toBe("E_JINJA_SYNTAX");
    expect(codeOf("1 | ternary('a')")).toBe("E_JINJA_SYNTAX");
  });

  it("length of a number is a type error", () => {
    expect(codeOf("5 | length")).toBe("E_JINJA_TYPE");
  });
});
