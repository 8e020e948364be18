/**
 * Golden INI merges: every case in tests/fixtures/merge/<case>/ with *.conf inputs runs through the
 * library and through `kolla-deploy merge-ini`, and must match expected.conf byte for byte (the
 * expected files were checked against kolla's own merge_configs + oslo.config), or fail with
 * exactly the problems listed in expected.errors.
 */
import { describe, expect, it } from "vitest";
import { runCli } from "../../helpers/cli.js";
import { mergeIni } from "../../../src/merge/index.js";
import { goldenCases, problemsOf, sourcesOf, type GoldenCase } from "./golden.js";

const cases = goldenCases("conf");

function cliArgs(golden: GoldenCase): string[] {
  const flags = golden.options["whitespace"] === false ? ["--no-whitespace"] : [];
  return ["merge-ini", ...flags, ...golden.inputs];
}

describe("merge-ini golden cases", () => {
  it("finds the golden cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  for (const golden of cases.filter((c) => c.expected !== undefined)) {
    it(`${golden.name}: mergeIni() writes expected.conf`, () => {
      const whitespace = golden.options["whitespace"] !== false;
      expect(mergeIni(sourcesOf(golden), { whitespace })).toBe(golden.expected);
    });

    it(`${golden.name}: merge-ini prints expected.conf`, () => {
      const result = runCli(cliArgs(golden), { cwd: golden.dir });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(golden.expected);
    });
  }

  for (const golden of cases.filter((c) => c.expectedErrors !== undefined)) {
    it(`${golden.name}: mergeIni() reports exactly the expected problems`, () => {
      expect(problemsOf(() => mergeIni(sourcesOf(golden)))).toEqual(golden.expectedErrors);
    });

    it(`${golden.name}: merge-ini prints one line per problem and fails`, () => {
      const result = runCli(cliArgs(golden), { cwd: golden.dir });
      expect(result.code).toBe(65);
      expect(result.stdout).toBe("");
      const lines = result.stderr.trimEnd().split("\n");
      expect(lines).toHaveLength(golden.expectedErrors!.length);
      golden.expectedErrors!.forEach((problem, index) => {
        const [where, code] = problem.split(" ");
        expect(lines[index]).toContain(`${where}: `);
        expect(lines[index]).toContain(`[${code}] (hint: `);
      });
    });
  }
});
