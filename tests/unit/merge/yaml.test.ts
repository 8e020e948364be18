import { describe, expect, it } from "vitest";
import { DeployError } from "../../../src/errors.js";
import { dumpYaml, loadYaml, mergeYaml, mergeYamlValues } from "../../../src/merge/index.js";
import { representFloat } from "../../../src/merge/yaml-scalar.js";

describe("representFloat()", () => {
  it("writes floats as PyYAML does (Python repr, '.0' before a bare exponent)", () => {
    const cases: [number, string][] = [
      [1.5, "1.5"], [3, "3.0"], [1e16, "1.0e+16"], [1e15, "1000000000000000.0"], [1e-5, "1.0e-05"],
      [0.0001, "0.0001"], [1 / 3, "0.3333333333333333"], [-2.5e-300, "-2.5e-300"], [-0, "-0.0"], [NaN, ".nan"],
    ];
    for (const [value, text] of cases) expect(representFloat(value)).toBe(text);
  });
});

describe("loadYaml()", () => {
  it("types plain scalars with YAML 1.1 rules like PyYAML", () => {
    const value = loadYaml({ path: "x.yml", text: "a: yes\nb: 012\nc: 1e5\nd: '1'\n" });
    expect(value).toEqual(new Map<unknown, unknown>([["a", true], ["b", 10n], ["c", "1e5"], ["d", "1"]]));
  });

  it("does not echo a scalar's text in errors", () => {
    expect(() => loadYaml({ path: "x.yml", text: "password: !vault s3cr3t\n" })).toThrow(DeployError);
    try {
      loadYaml({ path: "x.yml", text: "password: !vault s3cr3t\n" });
    } catch (error) {
      expect((error as DeployError).oneLine()).not.toContain("s3cr3t");
    }
  });
});

describe("mergeYamlValues()", () => {
  it("does not modify its inputs", () => {
    const base = new Map([["l", [1n]]]);
    mergeYamlValues(base, new Map([["l", [2n]]]), { extendLists: true });
    expect(base.get("l")).toEqual([1n]);
  });
});

describe("mergeYaml()", () => {
  it("writes an empty mapping as {} like yaml.dump({})", () => {
    expect(mergeYaml([])).toBe("{}\n");
  });

  it("keeps insertion order when keys cannot be compared, as PyYAML does", () => {
    expect(dumpYaml(new Map<string | bigint, bigint>([["b", 1n], [2n, 2n], ["a", 3n]]))).toBe("b: 1\n2: 2\na: 3\n");
  });
});
