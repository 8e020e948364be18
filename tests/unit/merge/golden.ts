/** Discovers the golden merge cases in tests/fixtures/merge (shared by the INI and YAML golden tests). */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../../helpers/cli.js";
import { DeployError, ValidationFailed, formatLocation } from "../../../src/errors.js";

export const FIXTURES = join(REPO_ROOT, "tests", "fixtures", "merge");

export interface GoldenCase {
  name: string;
  dir: string;
  /** Input file names in merge order (alphabetical). */
  inputs: string[];
  options: Record<string, unknown>;
  /** Expected output text, or undefined for an error case. */
  expected: string | undefined;
  /** For an error case: every expected problem as `file:line CODE`. */
  expectedErrors: string[] | undefined;
}

/** Cases whose inputs end in `extension` and which have `expected.<extension>` or `expected.errors`. */
export function goldenCases(extension: string): GoldenCase[] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => loadCase(entry.name, extension))
    .filter((golden): golden is GoldenCase => golden !== undefined);
}

function loadCase(name: string, extension: string): GoldenCase | undefined {
  const dir = join(FIXTURES, name);
  const files = readdirSync(dir).sort();
  const inputs = files.filter((file) => file.endsWith(`.${extension}`) && !file.startsWith("expected."));
  if (inputs.length === 0) return undefined;
  const expectedPath = join(dir, `expected.${extension}`);
  const errorsPath = join(dir, "expected.errors");
  const optionsPath = join(dir, "options.json");
  return {
    name,
    dir,
    inputs,
    options: existsSync(optionsPath) ? (JSON.parse(readFileSync(optionsPath, "utf8")) as Record<string, unknown>) : {},
    expected: existsSync(expectedPath) ? readFileSync(expectedPath, "utf8") : undefined,
    expectedErrors: existsSync(errorsPath) ? readFileSync(errorsPath, "utf8").trim().split("\n") : undefined,
  };
}

/** Reads a case's inputs as merge sources, named relative to the case directory. */
export function sourcesOf(golden: GoldenCase): { path: string; text: string }[] {
  return golden.inputs.map((file) => ({ path: file, text: readFileSync(join(golden.dir, file), "utf8") }));
}

/** Runs `action` and returns every reported problem as `file:line CODE` (or `file: key CODE`). */
export function problemsOf(action: () => unknown): string[] {
  try {
    action();
  } catch (error) {
    if (!(error instanceof DeployError)) throw error;
    const errors = error instanceof ValidationFailed ? error.errors : [error];
    return errors.map((e) => `${formatLocation(e.where)} ${e.code}`);
  }
  throw new Error("expected the merge to fail, but it succeeded");
}
