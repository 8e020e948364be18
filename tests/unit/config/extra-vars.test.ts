import { describe, expect, it } from "vitest";
import { parseExtraVars } from "../../../src/config/index.js";
import { errorsOf, tempTree } from "./fixtures.js";

describe("parseExtraVars() key=value", () => {
  it("parses one pair; values stay strings", () => {
    expect(parseExtraVars(["openstack_release=2025.1"])).toEqual({ openstack_release: "2025.1" });
    expect(parseExtraVars(["n=5 flag=true"])).toEqual({ n: "5", flag: "true" });
  });

  it("parses several space-separated pairs with quoted values", () => {
    expect(parseExtraVars([`a=1 b="two words" c='single quoted' d=`])).toEqual({
      a: "1", b: "two words", c: "single quoted", d: "",
    });
  });

  it("keeps '=' inside values and backslash-escaped quotes", () => {
    expect(parseExtraVars([`opts=a=b msg="say \\"hi\\""`])).toEqual({ opts: "a=b", msg: 'say "hi"' });
  });

  it("later arguments win, key by key", () => {
    expect(parseExtraVars(["a=1 b=1", "b=2", '{"c": 3}', "a=4"])).toEqual({ a: "4", b: "2", c: 3 });
  });

  it("ignores empty arguments", () => {
    expect(parseExtraVars(["", "  "])).toEqual({});
  });
});

describe("parseExtraVars() mappings and files", () => {
  it("parses an inline JSON mapping with native types", () => {
    expect(parseExtraVars(['{"a": 1, "b": [true, null], "c": {"d": "e"}}'])).toEqual({ a: 1, b: [true, null], c: { d: "e" } });
  });

  it("parses an inline YAML flow mapping", () => {
    expect(parseExtraVars(["{a: yes, b: 2}"])).toEqual({ a: true, b: 2 });
  });

  it("reads @file (YAML or JSON), relative to cwd", () => {
    const dir = tempTree({ "extra.yml": "x: 1\ny: [a]\n", "sub/extra.json": '{"z": "json"}' });
    expect(parseExtraVars(["@extra.yml", "@sub/extra.json"], { cwd: dir })).toEqual({ x: 1, y: ["a"], z: "json" });
    expect(parseExtraVars([`@${dir}/extra.yml`])).toEqual({ x: 1, y: ["a"] });
  });
});

describe("parseExtraVars() errors name the argument and give a hint", () => {
  it("a word without '=' is an error naming the -e position", () => {
    const [error] = errorsOf(() => parseExtraVars(["a=1", "oops"]));
    expect(error!.code).toBe("E_EXTRA_VARS");
    expect(error!.oneLine()).toMatch(/^-e #2: expected key=value .*hint: use key=value, a JSON\/YAML mapping/);
  });

  it("an invalid variable name is an error", () => {
    const [error] = errorsOf(() => parseExtraVars(["bad-name=1"]));
    expect(error!.message).toContain("'bad-name' is not a valid variable name");
  });

  it("an unterminated quote is an error", () => {
    expect(errorsOf(() => parseExtraVars(['a="open']))[0]!.message).toContain("unterminated quote");
  });

  it("a list is not a mapping", () => {
    const [error] = errorsOf(() => parseExtraVars(["[1, 2]"]));
    expect(error!.code).toBe("E_YAML_NOT_MAPPING");
    expect(error!.oneLine()).toMatch(/^-e #1:1: /);
  });

  it("bad JSON names the argument and never echoes its text", () => {
    const [error] = errorsOf(() => parseExtraVars(['{"password": "hunter2"']));
    expect(error!.code).toBe("E_YAML_SYNTAX");
    expect(error!.oneLine()).toMatch(/^-e #1:1: /);
    expect(error!.oneLine()).not.toContain("hunter2");
  });

  it("a missing @file is an error naming the file", () => {
    const [error] = errorsOf(() => parseExtraVars(["@nope.yml"], { cwd: "/tmp" }));
    expect(error!.code).toBe("E_CONFIG_READ");
    expect(error!.oneLine()).toContain("/tmp/nope.yml");
  });

  it("reports every bad argument at once", () => {
    expect(errorsOf(() => parseExtraVars(["x", "1a=2", "@"]))).toHaveLength(3);
  });
});
