import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { REPO_ROOT, runCli } from "../../helpers/cli.js";

const FIXTURE = join(REPO_ROOT, "tests", "fixtures", "config", "vars-cli");
const base = ["vars", "--configdir", FIXTURE];

describe("kolla-deploy vars", () => {
  it("prints the named variables of localhost as YAML, passwords masked", () => {
    const result = runCli([...base, "openstack_tag", "keystone_admin_password", "inventory_hostname"]);
    expect(result.stderr).not.toContain("error");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("openstack_tag: 2025.1-debian-bookworm\nkeystone_admin_password: <secret>\ninventory_hostname: localhost\n");
  });

  it("--show-secrets, --json, --host and -e", () => {
    const result = runCli([...base, "-i", join(FIXTURE, "inventory"), "--host", "web1", "--json", "--show-secrets",
      "-e", "openstack_release=zed", "keystone_admin_password", "openstack_tag", "api_interface", "group_names"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      keystone_admin_password: "fixturepw42", openstack_tag: "zed-debian-bookworm", api_interface: "ens4", group_names: ["control"],
    });
  });

  it("defaults to the inventory's first host", () => {
    const result = runCli([...base, "-i", join(FIXTURE, "inventory"), "inventory_hostname"]);
    expect(result.stdout).toBe("inventory_hostname: web1\n");
  });

  it("an unknown variable or host fails with a one-line error", () => {
    const unknown = runCli([...base, "no_such_var"]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/^error: .*no variable named 'no_such_var'.*\(hint: /);
    const host = runCli([...base, "--host", "ghost"]);
    expect(host.code).toBe(64);
  });

  it("never prints a password when listing everything", () => {
    const result = runCli(base);
    expect(result.stdout).toContain("keystone_admin_password: <secret>");
    expect(result.stdout + result.stderr).not.toContain("fixturepw42");
  });
});
