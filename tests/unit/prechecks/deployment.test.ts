/** Deployment-host checks: empty passwords (kolla's exclusions) and enabled services without hosts. */
import { describe, expect, it } from "vitest";
import { checkGroups, checkPasswords } from "../../../src/prechecks/deployment.js";
import { loadInventory } from "../../../src/inventory/index.js";
import type { Role, ServiceDef } from "../../../src/roles/index.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const FILE = "/etc/kolla/passwords.yml";

describe("passwords", () => {
  it("names each empty key with file:line and never its value", () => {
    const o = checkPasswords(FILE, [
      { key: "database_password", value: "s3cret-value", where: { file: FILE, line: 3 } },
      { key: "keystone_admin_password", value: null, where: { file: FILE, line: 7 } },
      { key: "rabbitmq_password", value: "  ", where: { file: FILE, line: 9 } },
    ]);
    expect(o.status).toBe("fail");
    expect(o.problems.map((e) => e.oneLine())).toEqual([
      "/etc/kolla/passwords.yml:7: keystone_admin_password: empty password [E_PRECHECK_PASSWORD] (hint: run kolla-deploy genpwd (it fills every empty value and keeps the others))",
      "/etc/kolla/passwords.yml:9: rabbitmq_password: empty password [E_PRECHECK_PASSWORD] (hint: run kolla-deploy genpwd (it fills every empty value and keeps the others))",
    ]);
    expect(JSON.stringify(o)).not.toContain("s3cret-value");
  });

  it("lets docker_registry_password be empty and ceph_backend_secrets be null, as kolla does", () => {
    const o = checkPasswords(FILE, [
      { key: "docker_registry_password", value: null },
      { key: "ceph_backend_secrets", value: null },
      { key: "nova_ssh_key", value: { private_key: "x", public_key: "y" } },
    ]);
    expect([o.status, o.note]).toEqual(["ok", "3 set"]);
    expect(checkPasswords(FILE, [{ key: "ceph_backend_secrets", value: "" }]).status).toBe("fail");
  });

  it("fails when the file does not exist", () => {
    expect(checkPasswords(FILE, undefined).problems[0]!.oneLine()).toBe(
      "/etc/kolla/passwords.yml: the passwords file does not exist [E_PRECHECK_PASSWORD] (hint: run kolla-deploy genpwd (it fills every empty value and keeps the others))",
    );
  });
});

function service(key: string, groups: string[], enabled: string[]): ServiceDef {
  return { key, containerName: key, groups, enabled, image: "", environment: {}, volumes: [], privileged: false, capAdd: [], securityOpt: [], tmpfs: [], labels: {}, configJson: "", configFiles: [], where: { file: "x" } };
}

function role(name: string, services: ServiceDef[]): Role {
  return { name, project: name, tags: [], services, haproxy: [], bootstrap: [], dir: "/", templates: [] };
}

describe("inventory groups", () => {
  const dir = mkdtempSync(join(tmpdir(), "kd-prechecks-groups-"));
  const path = join(dir, "inventory");
  writeFileSync(path, "[control]\nctl1\n[memcached]\n[memcached:children]\n[compute]\n[neutron-l3-agent:children]\ncontrol\n");
  const inventory = loadInventory([path]);

  it("fails for an enabled service whose groups have no host, and ignores disabled ones", () => {
    const roles = [
      role("memcached", [service("memcached", ["memcached"], ["enable_memcached"])]),
      role("heat", [service("heat-api", ["heat-api"], ["enable_heat"])]),
      role("neutron", [service("neutron-openvswitch-agent", ["compute", "neutron-l3-agent"], [])]),
    ];
    const o = checkGroups(inventory, roles, { enable_memcached: "yes", enable_heat: "no" }, path);
    expect(o.problems.map((e) => e.oneLine())).toEqual([
      `${path}: memcached (role memcached) is enabled but [memcached] has no host [E_PRECHECK_GROUP] (hint: add a host to [memcached] in ${path} or turn it off (enable_memcached: no))`,
    ]);
  });
});
