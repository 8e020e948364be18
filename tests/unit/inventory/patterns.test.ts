import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DeployError, ValidationFailed } from "../../../src/errors.js";
import { loadInventory, selectHosts } from "../../../src/inventory/index.js";
import { REPO_ROOT } from "../../helpers/cli.js";

// nested/hosts: control = ctl01 ctl02; network = net01 ctl01; compute = cmp01 cmp02; storage = sto01;
// baremetal = all four; nova = control.
const inv = loadInventory([join(REPO_ROOT, "tests", "fixtures", "inventory", "nested", "hosts")]);
const ALL = ["ctl01", "ctl02", "net01", "cmp01", "cmp02", "sto01"];

describe("--limit host patterns", () => {
  it.each<[string | undefined, string[]]>([
    [undefined, ALL],
    ["all", ALL],
    ["*", ALL],
    ["cmp02", ["cmp02"]],
    ["control", ["ctl01", "ctl02"]],
    ["nova-api", ["ctl01", "ctl02"]],
    ["cmp*", ["cmp01", "cmp02"]],
    ["c??01", ["ctl01", "cmp01"]],
    ["~(net|sto)0[0-9]", ["net01", "sto01"]],
    ["control:storage", ["ctl01", "ctl02", "sto01"]],
    ["control,storage", ["ctl01", "ctl02", "sto01"]],
    ["baremetal:&network", ["ctl01", "net01"]],
    ["baremetal:!control", ["net01", "cmp01", "cmp02", "sto01"]],
    ["!control", ["net01", "cmp01", "cmp02", "sto01"]],
    ["&network", ["ctl01", "net01"]],
    ["compute[0]", ["cmp01"]],
    ["compute[-1]", ["cmp02"]],
    ["baremetal[1:2]", ["ctl02", "net01"]],
  ])("%s", (pattern, expected) => expect(selectHosts(inv, pattern)).toEqual(expected));

  it("applies unions first, then intersections, then exclusions, whatever the order written", () => {
    // Left to right this would be empty; Ansible's order gives baremetal ∩ network minus ctl02.
    expect(selectHosts(inv, "!ctl02:&network:baremetal")).toEqual(["ctl01", "net01"]);
    expect(selectHosts(inv, "!ctl02,&network,baremetal")).toEqual(["ctl01", "net01"]);
  });

  it("reads @file, one pattern per line", () => {
    const dir = mkdtempSync(join(tmpdir(), "limit-"));
    writeFileSync(join(dir, "retry"), "cmp01\nsto01\n\n");
    expect(selectHosts(inv, "@retry", { cwd: dir })).toEqual(["cmp01", "sto01"]);
    expect(selectHosts(inv, `@${join(dir, "retry")}:!sto01`)).toEqual(["cmp01"]);
  });

  it("rejects a pattern that matches nothing, with a hint", () => {
    const error = catchError(() => selectHosts(inv, "contrl"));
    expect(error.code).toBe("E_INVENTORY_PATTERN");
    expect(error.oneLine()).toContain("host pattern 'contrl' matches no group and no host");
    expect(error.hint).toContain("--graph");
  });

  it("reports every unmatched part at once, with file:line for @file", () => {
    const dir = mkdtempSync(join(tmpdir(), "limit-"));
    writeFileSync(join(dir, "hosts"), "cmp01\nnope\n");
    const error = catchError(() => selectHosts(inv, "@hosts:missing", { cwd: dir }));
    expect(error).toBeInstanceOf(ValidationFailed);
    expect(error.oneLine().split("\n")).toEqual([
      expect.stringMatching(new RegExp(`^${join(dir, "hosts")}:2: host pattern 'nope'`)),
      expect.stringContaining("host pattern 'missing' matches no group"),
    ]);
  });

  it("rejects a pattern whose hosts all get excluded", () => {
    expect(catchError(() => selectHosts(inv, "control:!control")).code).toBe("E_INVENTORY_NO_HOSTS");
  });
});

function catchError(fn: () => unknown): DeployError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DeployError) return error;
    throw error;
  }
  throw new Error("no error thrown");
}
