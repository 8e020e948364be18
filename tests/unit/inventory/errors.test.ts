import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DeployError, ValidationFailed } from "../../../src/errors.js";
import { loadInventory } from "../../../src/inventory/index.js";
import { REPO_ROOT, runCli } from "../../helpers/cli.js";

const BAD = join(REPO_ROOT, "tests", "fixtures", "inventory", "bad");

function failure(file: string): DeployError {
  try {
    loadInventory([join(BAD, file)]);
  } catch (error) {
    if (error instanceof DeployError) return error;
    throw error;
  }
  throw new Error(`${file} loaded without error`);
}

describe("malformed inventories give one-line errors with file:line and a hint", () => {
  it.each([
    ["bad-section", "E_INVENTORY_SECTION", 3, "invalid section header '[bad section'"],
    ["unknown-section-type", "E_INVENTORY_SECTION", 3, "unknown type 'weird'"],
    ["undefined-child", "E_INVENTORY_UNDEFINED_GROUP", 5, "[nova:children] includes undefined group 'nowhere'"],
    ["invalid-child", "E_INVENTORY_CHILDREN", 4, "expected a group name in [nova:children], got 'not a group'"],
    ["range-reversed", "E_INVENTORY_RANGE", 2, "expands to no hosts"],
    ["range-mixed", "E_INVENTORY_RANGE", 2, "node[a:1]"],
    ["range-width", "E_INVENTORY_RANGE", 2, "same number of digits"],
    ["vars-no-equals", "E_INVENTORY_VARS", 5, "expected key=value in [control:vars], got 'no_equals_here'"],
    ["vars-undefined-group", "E_INVENTORY_UNDEFINED_GROUP", 1, "[ghost:vars] is for a group that is never declared"],
    ["syntax.yml", "E_INVENTORY_YAML", 5, "YAML:"],
    ["shape.yml", "E_INVENTORY_YAML", 4, "unexpected key 'hostz'"],
    ["loop", "E_INVENTORY_LOOP", 4, "creates a loop"],
  ])("%s", (file, code, line, text) => {
    const error = failure(file);
    expect(error).not.toBeInstanceOf(ValidationFailed);
    expect(error.code).toBe(code);
    expect(error.where).toEqual({ file: join(BAD, file), line });
    expect(error.hint).not.toBe("");
    const oneLine = error.oneLine();
    expect(oneLine).not.toContain("\n");
    expect(oneLine.startsWith(`${join(BAD, file)}:${line}: `)).toBe(true);
    expect(oneLine).toContain(text);
  });

  it("reports every problem of a file at once", () => {
    const error = failure("many-problems");
    expect(error).toBeInstanceOf(ValidationFailed);
    const found = (error as ValidationFailed).errors.map((e) => [e.code, e.where?.line]);
    expect(found).toEqual([
      ["E_INVENTORY_RANGE", 2],
      ["E_INVENTORY_HOST", 3],
      ["E_INVENTORY_VARS", 5],
      ["E_INVENTORY_CHILDREN", 7],
      ["E_INVENTORY_SECTION", 8],
    ]);
  });

  it("reports problems from several sources together", () => {
    try {
      loadInventory([join(BAD, "range-width"), join(BAD, "vars-no-equals"), join(BAD, "does-not-exist")]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationFailed);
      expect((error as ValidationFailed).errors.map((e) => e.code)).toEqual(["E_INVENTORY_RANGE", "E_INVENTORY_VARS", "E_INVENTORY_MISSING"]);
    }
  });

  it("the CLI prints one line per problem and exits non-zero", () => {
    const result = runCli(["inventory", "-i", join(BAD, "undefined-child"), "--list"]);
    expect(result.code).toBe(65);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain(`error: ${join(BAD, "undefined-child")}:5: section [nova:children] includes undefined group 'nowhere'`);
    expect(result.stderr).toContain("(hint: ");
  }, 30_000);
});
