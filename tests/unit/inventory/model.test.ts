import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { groupNames, groupsMap, hostsInGroup, hostVars, loadInventory } from "../../../src/inventory/index.js";
import { detectFormat } from "../../../src/inventory/load.js";
import { REPO_ROOT } from "../../helpers/cli.js";

const FIX = join(REPO_ROOT, "tests", "fixtures", "inventory");

describe("Ansible's magic variables", () => {
  const inv = loadInventory([join(FIX, "nested", "hosts")]);

  it("group_names is sorted, transitive and without all", () => {
    expect(groupNames(inv, "ctl01")).toEqual(["baremetal", "control", "network", "nova", "nova-api", "openstack"]);
  });

  it("group_names has ungrouped for a host in no group", () => {
    const loose = loadInventory([join(FIX, "bad", "..", "ranges", "hosts"), join(FIX, "local", "hosts")]);
    expect(groupNames(loose, "localhost")).toEqual(["control", "deployment"]);
    const dir = mkdtempSync(join(tmpdir(), "inv-"));
    writeFileSync(join(dir, "hosts"), "lonely\n[g]\nother\n");
    expect(groupNames(loadInventory([join(dir, "hosts")]), "lonely")).toEqual(["ungrouped"]);
  });

  it("groups['x'] includes hosts of child groups, without duplicates", () => {
    expect(hostsInGroup(inv, "baremetal")).toEqual(["ctl01", "ctl02", "net01", "cmp01", "cmp02", "sto01"]);
    expect(hostsInGroup(inv, "nova-api")).toEqual(["ctl01", "ctl02"]);
    expect(hostsInGroup(inv, "no-such-group")).toEqual([]);
    const groups = groupsMap(inv);
    expect(groups.all).toEqual(hostsInGroup(inv, "all"));
    expect(groups.ungrouped).toEqual([]);
    expect(Object.keys(groups)).toContain("nova-api");
  });
});

describe("variable precedence", () => {
  const inv = loadInventory([join(FIX, "nested", "hosts")]);

  it("host_vars/ beats inline host vars, which beat every group var", () => {
    expect(hostVars(inv, "ctl01").level).toBe("host_vars_ctl01");
    expect(hostVars(inv, "ctl02").level).toBe("host_vars_dir");
  });

  it("group_vars/ files beat inventory group vars; deeper groups beat parents", () => {
    expect(hostVars(inv, "net01").level).toBe("group_vars_baremetal");
    expect(hostVars(inv, "cmp02").from_baremetal).toBe("yes");
  });

  it("ansible_group_priority orders groups of the same depth", () => {
    expect(hostVars(inv, "ctl01").priority_test).toBe("control");
    expect(hostVars(inv, "ctl01")).not.toHaveProperty("ansible_group_priority");
  });

  it("a directory of group vars merges its files in sorted order", () => {
    expect(hostVars(inv, "sto01")).toMatchObject({ storage_a: 1, shared: "b", storage_deep: true });
    expect(hostVars(inv, "sto01")).not.toHaveProperty("ignored");
  });
});

describe("sources", () => {
  it("accepts Ansible's comma-separated host list", () => {
    const inv = loadInventory(["a,b:2222,"]);
    expect(hostsInGroup(inv, "ungrouped")).toEqual(["a", "b"]);
    expect(hostVars(inv, "b")).toEqual({ ansible_port: 2222 });
  });

  it("resolves relative paths against cwd and reads group_vars beside a file", () => {
    const dir = mkdtempSync(join(tmpdir(), "inv-"));
    mkdirSync(join(dir, "group_vars"));
    writeFileSync(join(dir, "hosts"), "[g]\nh1\n");
    writeFileSync(join(dir, "group_vars", "g"), "x: 1\n");
    expect(hostVars(loadInventory(["hosts"], { cwd: dir }), "h1")).toEqual({ x: 1 });
  });

  it("tells YAML from INI the way Ansible's plugin order does", () => {
    expect(detectFormat("/x/hosts", "[control]\nctl01\n")).toBe("ini");
    expect(detectFormat("/x/hosts", "ctl01 a=1\n")).toBe("ini");
    expect(detectFormat("/x/hosts", "all:\n  hosts:\n    a:\n")).toBe("yaml");
    expect(detectFormat("/x/hosts", "---\nall: {}\n")).toBe("yaml");
    expect(detectFormat("/x/hosts.yml", "[g]\n")).toBe("yaml");
    expect(detectFormat("/x/hosts.ini", "all:\n")).toBe("ini");
  });
});
