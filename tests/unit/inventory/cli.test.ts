import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "../../helpers/cli.js";

const NESTED = join(REPO_ROOT, "tests", "fixtures", "inventory", "nested", "hosts");

describe("kolla-deploy inventory", () => {
  it("--host prints one host's variables as JSON", () => {
    const r = runCli(["inventory", "-i", NESTED, "--host", "ctl01"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ level: "host_vars_ctl01", ansible_host: "198.18.0.11" });
  }, 30_000);

  it("--graph GROUP prints that group's tree", () => {
    const r = runCli(["inventory", "-i", NESTED, "--graph", "nova"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("@nova:\n  |--@control:\n  |  |--ctl01\n  |  |--ctl02\n");
  }, 30_000);

  it("--list --limit restricts _meta.hostvars to the selected hosts (ansible-inventory 2.14 has no --limit)", () => {
    const r = runCli(["inventory", "-i", NESTED, "--list", "--limit", "compute"]);
    expect(r.code).toBe(0);
    expect(Object.keys(JSON.parse(r.stdout)._meta.hostvars)).toEqual(["cmp01", "cmp02"]);
  }, 30_000);

  it("a --limit matching nothing fails with a hint", () => {
    const r = runCli(["inventory", "-i", NESTED, "--list", "--limit", "computer"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^error: host pattern 'computer' matches no group and no host \[E_INVENTORY_PATTERN\] \(hint: /);
  }, 30_000);

  it("needs exactly one of --list, --graph, --host", () => {
    const r = runCli(["inventory", "-i", NESTED]);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain("choose exactly one of --list, --graph or --host");
  }, 30_000);

  it("an unknown --host is an error, not an empty answer", () => {
    const r = runCli(["inventory", "-i", NESTED, "--host", "ghost"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("host 'ghost' is not in the inventory");
  }, 30_000);

  it("without -i reads the project's all-in-one inventory", () => {
    const r = runCli(["inventory", "--graph", "deployment"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("@deployment:\n  |--localhost\n");
  }, 30_000);
});
