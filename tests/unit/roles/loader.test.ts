import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DeployError, ValidationFailed } from "../../../src/errors.js";
import { loadRoles, roleDefaultsSources, selectRoles } from "../../../src/roles/index.js";
import { REPO_ROOT } from "../../helpers/cli.js";

const FIXTURES = join(REPO_ROOT, "tests", "fixtures", "roles");

function problems(rolesDir: string, knownGroups?: ReadonlySet<string>): string[] {
  try {
    loadRoles(rolesDir, knownGroups === undefined ? {} : { knownGroups });
  } catch (error) {
    if (error instanceof ValidationFailed) return error.errors.map((e) => e.oneLine());
    if (error instanceof DeployError) return [error.oneLine()];
    throw error;
  }
  return [];
}

describe("loadRoles() on a valid role", () => {
  const [memcached] = loadRoles(join(FIXTURES, "good", "roles"));

  it("reads the services dict with kolla's fields", () => {
    expect(memcached?.name).toBe("memcached");
    expect(memcached?.project).toBe("memcached");
    const service = memcached?.services[0];
    expect(service).toMatchObject({
      key: "memcached",
      containerName: "memcached",
      groups: ["memcached"],
      enabled: ["enable_memcached"],
      image: "{{memcached_image_full}}",
      dimensions: "memcached_dimensions",
      healthcheck: "memcached_healthcheck",
      privileged: false,
      configJson: "memcached.json.hbs",
      where: { file: "roles/memcached/role.yml", line: 3 },
    });
  });

  it("drops empty volume entries, as kolla drops ''", () => {
    expect(memcached?.services[0]?.volumes).toEqual([
      "{{node_config_directory}}/memcached/:/var/lib/kolla/config_files/:ro",
      "kolla_logs:/var/log/kolla/",
    ]);
  });

  it("reads haproxy frontends (numbers become strings) and steps with their default phase", () => {
    expect(memcached?.haproxy[0]).toMatchObject({ name: "memcached", mode: "tcp", listenPort: "11211", external: false, enabled: ["enable_memcached", "enable_haproxy_memcached"] });
    expect(memcached?.bootstrap[0]).toMatchObject({ kind: "exec", phase: "post_start", runOnce: true, actions: ["deploy"], command: ["memcached-tool", "{{api_interface_address}}", "stats"] });
  });

  it("hands defaults.yml text to the config layer", () => {
    const sources = roleDefaultsSources([memcached!]);
    expect(sources).toHaveLength(1);
    expect(sources[0]?.text).toContain("memcached_image_full");
  });
});

describe("loadRoles() on malformed roles", () => {
  const found = problems(join(FIXTURES, "bad", "roles"), new Set(["keystone", "glance-api"]));
  const expected = [
    "roles/keystone/role.yml:5: services.keystone.enabled: expected a variable name, got \"{{ enable_keystone | bool }}\"",
    "roles/keystone/role.yml:6: services.keystone.image: expected string",
    "roles/keystone/role.yml:7: services.keystone.volumez: unknown key",
    "roles/keystone/role.yml:8: services.keystone.privileged: expected true or false",
    "roles/keystone/role.yml:12: services.keystone.config_files[0].merge: expected one of ini, yaml, whole_file, template",
    "roles/keystone/role.yml:16: services.keystone.config_files[1].overrides: merge: template takes no overrides",
    "roles/keystone/role.yml:13: services.keystone.config_files[1].template: template \"wsgi.conf.hbs\" not found in keystone/templates/ [E_ROLE_TEMPLATE]",
    "roles/keystone/role.yml:23: haproxy.keystone_internal.service: unknown service \"keystone-api\"",
    "roles/keystone/role.yml:30: bootstrap[0].password: missing required key",
    "roles/keystone/role.yml:34: bootstrap[1].kind: unknown step kind \"shell\"",
    "roles/keystone/defaults.yml:2: enable_keystone: role defaults must not define enable_* switches",
    "roles/keystone/role.yml:17: services.keystone-ssh.container_name: container \"keystone\" is already defined by role keystone [E_ROLE_DUPLICATE]",
    "roles/broken/role.yml:3: YAML syntax: Flow sequence",
    "roles/site.yml: role directory orphan/ is not listed in site.yml [E_ROLE_UNLISTED]",
    "roles/missing/role.yml: listed in site.yml but role.yml is missing [E_ROLE_MISSING]",
    "roles/glance/role.yml:2: services.glance-api.group: group \"glance-apii\" is not in the inventory [E_ROLE_GROUP]",
  ];

  it.each(expected)("reports %s", (line) => {
    expect(found.some((p) => p.startsWith(line))).toBe(true);
  });

  it("reports every problem at once, each with a hint", () => {
    expect(found.length).toBe(expected.length);
    expect(found.every((p) => p.includes("(hint: "))).toBe(true);
  });
});

describe("selectRoles()", () => {
  const roles = loadRoles(join(FIXTURES, "good", "roles"));

  it("selects by role name or role tag, and all roles without tags", () => {
    expect(selectRoles(roles, [], []).map((r) => r.name)).toEqual(["memcached"]);
    expect(selectRoles(roles, ["memcache"], []).map((r) => r.name)).toEqual(["memcached"]);
    expect(selectRoles(roles, [], ["memcached"])).toEqual([]);
  });

  it("rejects unknown tags, naming the flag", () => {
    expect(() => selectRoles(roles, ["memcahed"], [])).toThrow(/--tags: unknown tag "memcahed"/);
  });
});
