/**
 * Golden YAML merges: every case in tests/fixtures/merge/<case>/ with *.yml inputs must give
 * expected.yml byte for byte (checked against kolla's update_nested_conf + PyYAML 6 yaml.dump),
 * or fail with exactly the problems in expected.errors.
 */
import { describe, expect, it } from "vitest";
import { mergeYaml } from "../../../src/merge/index.js";
import { goldenCases, problemsOf, sourcesOf } from "./golden.js";

const cases = goldenCases("yml");

describe("merge_yaml golden cases", () => {
  it("finds the golden cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
  });

  for (const golden of cases) {
    const extendLists = golden.options["extendLists"] === true;
    if (golden.expected !== undefined) {
      it(`${golden.name}: mergeYaml() writes expected.yml`, () => {
        expect(mergeYaml(sourcesOf(golden), { extendLists })).toBe(golden.expected);
      });
    } else {
      it(`${golden.name}: mergeYaml() reports exactly the expected problems`, () => {
        expect(problemsOf(() => mergeYaml(sourcesOf(golden), { extendLists }))).toEqual(golden.expectedErrors);
      });
    }
  }
});
