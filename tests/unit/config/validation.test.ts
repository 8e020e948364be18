import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config/index.js";
import { emptyDefaults, errorsOf, sampleInventory, tempTree } from "./fixtures.js";

describe("loadConfig() validation reports every problem at once", () => {
  it("YAML errors in globals, globals.d, passwords, defaults and -e, plus bad templates, together", () => {
    const root = tempTree({
      "defaults/all.yml": "ok: 1\nbad: [unclosed\n",
      "kolla/globals.yml": "a: 1\n  b: 2\n",
      "kolla/globals.d/10-list.yml": "- not\n- a mapping\n",
      "kolla/passwords.yml": "fine: x\nkeystone_admin_password: 'hunter2\n",
      "kolla/globals.d/20-tpl.yml": "x: 1\ntag: \"{{ release ~ }}\"\nloop: \"{% for a in b %}{% endfor %}\"\n",
    });
    const errors = errorsOf(() => loadConfig({
      configdir: `${root}/kolla`, extraVars: ["oops"], projectDefaultsDir: `${root}/defaults`,
      roleDefaults: [{ file: "roles/r/defaults.yml", text: "k: \"{{ x | nosuchfilter }}\"\n" }],
    }, sampleInventory({ c1: { api_interface: "{{ network_interface" } })));
    const lines = errors.map((e) => e.oneLine());
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(new RegExp(`^${root}/defaults/all.yml:\\d+: YAML syntax error`)),
      expect.stringMatching(new RegExp(`^${root}/kolla/globals.yml:\\d+: YAML syntax error`)),
      expect.stringMatching(new RegExp(`^${root}/kolla/globals.d/10-list.yml:1: the top level must be a mapping .*E_YAML_NOT_MAPPING`)),
      expect.stringMatching(new RegExp(`^${root}/kolla/passwords.yml:\\d+: YAML syntax error \\(`)),
      expect.stringMatching(new RegExp(`^${root}/kolla/globals.d/20-tpl.yml:2: tag: .*E_JINJA_SYNTAX`)),
      expect.stringMatching(new RegExp(`^${root}/kolla/globals.d/20-tpl.yml:3: loop: unsupported Jinja construct: statements`)),
      expect.stringMatching(/^roles\/r\/defaults.yml:1: k: unsupported Jinja construct: filter 'nosuchfilter'/),
      expect.stringMatching(/^-e #1: expected key=value/),
      expect.stringMatching(/^inventory\/multinode \(host c1.example.com\): api_interface: .*E_JINJA_SYNTAX/),
    ]));
    // globals.yml yields two syntax errors for its one bad line.
    expect(errors).toHaveLength(10);
    for (const line of lines) expect(line).toMatch(/\(hint: .+\)$/);
  });

  it("a passwords.yml error never echoes the file's text", () => {
    const root = tempTree({ "kolla/passwords.yml": "database_password: \"s3cret-value\nother: [x\n" });
    const errors = errorsOf(() => loadConfig({ configdir: `${root}/kolla`, extraVars: [], projectDefaultsDir: emptyDefaults() }, sampleInventory()));
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) {
      expect(error.oneLine()).not.toContain("s3cret");
      expect(String(error.cause ?? "")).not.toContain("s3cret");
    }
  });

  it("a missing globals.yml or default passwords.yml is fine; an explicit --passwords file must exist", () => {
    const root = tempTree({});
    expect(() => loadConfig({ configdir: `${root}/kolla`, extraVars: [], projectDefaultsDir: emptyDefaults() }, sampleInventory())).not.toThrow();
    const [error] = errorsOf(() => loadConfig({ configdir: `${root}/kolla`, passwordsFile: `${root}/nope.yml`, extraVars: [], projectDefaultsDir: emptyDefaults() }, sampleInventory()));
    expect(error!.code).toBe("E_CONFIG_READ");
  });

  it("an empty or comment-only file is an empty mapping", () => {
    const root = tempTree({ "kolla/globals.yml": "---\n# nothing yet\n", "kolla/passwords.yml": "" });
    const config = loadConfig({ configdir: `${root}/kolla`, extraVars: [], projectDefaultsDir: emptyDefaults() }, sampleInventory());
    expect(config.secretValues()).toEqual([]);
  });
});

describe("passwords", () => {
  const root = tempTree({
    "kolla/passwords.yml": [
      "keystone_admin_password: adminpw123",
      "database_password: dbpw4567",
      "docker_registry_password:",
      "numeric_password: 987654",
      "templated_password: \"{{ not_a_template }}\"",
      "nova_ssh_key:",
      "  private_key: \"-----BEGIN KEY-----\\nabc\\n-----END KEY-----\"",
      "  public_key: ssh-rsa AAAAB3 nova",
    ].join("\n"),
    "kolla/globals.yml": 'rpc_url: "rabbit://openstack:{{ database_password }}@vip"\n',
  });
  const config = loadConfig({ configdir: `${root}/kolla`, extraVars: [], projectDefaultsDir: emptyDefaults() }, sampleInventory());

  it("are layer 6: readable as variables, and referencable", () => {
    const vars = config.varsFor("n1");
    expect(vars.keystone_admin_password).toBe("adminpw123");
    expect(vars.docker_registry_password).toBe(null);
    expect(vars.rpc_url).toBe("rabbit://openstack:dbpw4567@vip");
    expect(config.isSecret("n1", "database_password")).toBe(true);
    expect(config.isSecret("n1", "rpc_url")).toBe(false);
  });

  it("are used literally, never templated", () => {
    expect(config.varsFor("n1").templated_password).toBe("{{ not_a_template }}");
  });

  it("secretValues() lists every non-empty value, nested keys included, longest first", () => {
    const secrets = config.secretValues();
    expect(secrets).toEqual(expect.arrayContaining([
      "adminpw123", "dbpw4567", "987654", "{{ not_a_template }}",
      "-----BEGIN KEY-----\nabc\n-----END KEY-----", "ssh-rsa AAAAB3 nova",
    ]));
    expect(secrets).toHaveLength(6);
    expect(secrets.map((s) => s.length)).toEqual([...secrets.map((s) => s.length)].sort((a, b) => b - a));
  });
});

describe("computed per-host values", () => {
  it("sit above etc/defaults and below the inventory, and run only when read", () => {
    const root = tempTree({ "defaults/all.yml": 'api_interface_address: "from-defaults"\nlisten: "{{ api_interface_address }}:11211"\n' });
    let calls = 0;
    const base = loadConfig({ configdir: `${root}/kolla`, extraVars: [], projectDefaultsDir: `${root}/defaults` }, sampleInventory({ n1: { api_interface_address: "10.0.0.9" } }));
    const config = base.withComputed((host) => ({ api_interface_address: () => { calls += 1; return `addr-of-${host}`; } }));
    expect(calls).toBe(0);
    expect(config.varsFor("c1.example.com").listen).toBe("addr-of-c1.example.com:11211");
    expect(config.varsFor("n1").listen).toBe("10.0.0.9:11211");
    expect(calls).toBe(1);
    expect(base.varsFor("c1.example.com").listen).toBe("from-defaults:11211");
  });
});
