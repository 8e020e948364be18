import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config/index.js";
import { emptyDefaults, errorsOf, sampleInventory, tempTree } from "./fixtures.js";

function configWithGlobals(globals: string, extraVars: string[] = []) {
  const root = tempTree({ "kolla/globals.yml": globals });
  return { root, config: loadConfig({ configdir: `${root}/kolla`, extraVars, projectDefaultsDir: emptyDefaults() }, sampleInventory()) };
}

describe("lazy resolution", () => {
  it("resolves references across layers, with native types for single expressions", () => {
    const { config } = configWithGlobals([
      'openstack_tag: "{{ openstack_release }}-{{ kolla_base_distro }}"',
      "openstack_release: master",
      "kolla_base_distro: debian",
      'workers: "{{ base_workers * 2 }}"',
      "base_workers: 3",
      'enabled: "{{ \'yes\' | bool }}"',
      'dims: "{{ default_dims }}"',
      "default_dims: {nofile: 1024}",
    ].join("\n"));
    const vars = config.varsFor("n1");
    expect(vars.openstack_tag).toBe("master-debian");
    expect(vars.workers).toBe(6);
    expect(vars.enabled).toBe(true);
    expect(vars.dims).toEqual({ nofile: 1024 });
  });

  it("an unused variable with an undefined reference costs nothing", () => {
    const { config } = configWithGlobals('broken: "{{ nowhere }}"\nfine: ok\n');
    const vars = config.varsFor("n1");
    expect(vars.fine).toBe("ok");
    expect(Object.keys(vars)).toContain("broken");
    expect("broken" in vars).toBe(true);
    expect(() => vars.broken).toThrow(/undefined variable: broken -> nowhere/);
  });

  it("the Proxy is consistent: get, has, ownKeys, getOwnPropertyDescriptor", () => {
    const { config } = configWithGlobals("a: 1\nb: \"{{ a + 1 }}\"\n");
    const vars = config.varsFor("n1");
    expect("a" in vars).toBe(true);
    expect("zzz" in vars).toBe(false);
    expect(vars.zzz).toBeUndefined();
    expect(Object.keys(vars)).toEqual(expect.arrayContaining(["a", "b", "inventory_hostname", "groups"]));
    const descriptor = Object.getOwnPropertyDescriptor(vars, "b")!;
    expect(descriptor.enumerable).toBe(true);
    expect(descriptor.get!()).toBe(2);
    expect(Object.getOwnPropertyDescriptor(vars, "zzz")).toBeUndefined();
    expect({ ...vars }.b).toBe(2);
    expect(JSON.parse(JSON.stringify(vars)).b).toBe(2);
  });

  it("is read-only", () => {
    const { config } = configWithGlobals("a: 1\n");
    const vars = config.varsFor("n1");
    expect(() => { (vars as Record<string, unknown>).a = 2; }).toThrow(TypeError);
    expect(vars.a).toBe(1);
  });

  it("memoises: a value is resolved once and the same object is returned", () => {
    const { config } = configWithGlobals('l: ["{{ x }}"]\nx: 1\n');
    const vars = config.varsFor("n1");
    expect(vars.l).toBe(vars.l);
    expect(Object.isFrozen(vars.l)).toBe(true);
  });

  it("resolves nested lists and dicts recursively", () => {
    const { config } = configWithGlobals([
      "port: 5000",
      "service:",
      "  name: keystone",
      '  url: "http://vip:{{ port }}"',
      '  ports: ["{{ port }}", "{{ port + 1 }}"]',
      '  nested: {enabled: "{{ \'no\' | bool }}"}',
    ].join("\n"));
    expect(config.varsFor("n1").service).toEqual({
      name: "keystone", url: "http://vip:5000", ports: [5000, 5001], nested: { enabled: false },
    });
  });

  it("default() also catches a variable whose own value has an undefined reference", () => {
    const { config } = configWithGlobals('a: "{{ b | default(\'fallback\') }}"\nb: "{{ missing }}"\n');
    expect(config.varsFor("n1").a).toBe("fallback");
  });

  it("resolves per host: host vars change what shared defaults resolve to", () => {
    const root = tempTree({});
    const config = loadConfig({
      configdir: `${root}/kolla`, extraVars: [], projectDefaultsDir: emptyDefaults(),
      roleDefaults: [{ file: "r.yml", text: 'network_interface: eth0\napi_interface: "{{ network_interface }}"\n' }],
    }, sampleInventory({ c1: { network_interface: "ens3" } }));
    expect(config.varsFor("c1.example.com").api_interface).toBe("ens3");
    expect(config.varsFor("n1").api_interface).toBe("eth0");
  });
});

describe("resolution errors", () => {
  it("a reference cycle shows the chain and the file:line of its first variable", () => {
    const { root, config } = configWithGlobals([
      "unrelated: 1",
      'openstack_tag: "{{ openstack_release }}-x"',
      'openstack_release: "{{ openstack_tag }}"',
    ].join("\n"));
    const [error] = errorsOf(() => config.varsFor("n1").openstack_tag);
    expect(error!.code).toBe("E_VAR_CYCLE");
    expect(error!.message).toContain("openstack_tag -> openstack_release -> openstack_tag");
    expect(error!.oneLine()).toContain(`${root}/kolla/globals.yml:2: openstack_tag: `);
  });

  it("a self-reference is a cycle", () => {
    const { config } = configWithGlobals('a: "{{ a }}"\n');
    expect(errorsOf(() => config.varsFor("n1").a)[0]!.message).toContain("a -> a");
  });

  it("an undefined name shows the chain from the variable read, with its file:line", () => {
    const { root, config } = configWithGlobals([
      'top: "{{ middle }}"',
      'middle: "x{{ bottom.attr }}"',
      "bottom: {}",
    ].join("\n"));
    const [error] = errorsOf(() => config.varsFor("n1").top);
    expect(error!.code).toBe("E_VAR_UNDEFINED");
    expect(error!.message).toBe("undefined variable: top -> middle -> bottom.attr");
    expect(error!.oneLine()).toMatch(new RegExp(`^${root}/kolla/globals.yml:1: top: .*hint: define 'bottom'`));
  });

  it("a type error names the variable where it happened, not the one read", () => {
    const { root, config } = configWithGlobals('outer: "{{ inner }}"\ninner: "{{ \'a\' + 1 }}"\n');
    const [error] = errorsOf(() => config.varsFor("n1").outer);
    expect(error!.code).toBe("E_JINJA_TYPE");
    expect(error!.oneLine()).toContain(`${root}/kolla/globals.yml:2: inner: `);
  });

  it("resolve() of an unknown name is an error; of an unknown host too", () => {
    const { config } = configWithGlobals("a: 1\n");
    expect(config.resolve("n1", "a")).toBe(1);
    expect(errorsOf(() => config.resolve("n1", "nope"))[0]!.code).toBe("E_VAR_UNDEFINED");
    expect(errorsOf(() => config.varsFor("ghost"))[0]!.code).toBe("E_VARS_UNKNOWN_HOST");
  });

  it("origin() names the file:line that set the winning value", () => {
    const { root, config } = configWithGlobals("a: 1\nb: 2\n", ["b=3"]);
    expect(config.origin("n1", "a")).toEqual({ file: `${root}/kolla/globals.yml`, line: 1, key: "a" });
    expect(config.origin("n1", "b")).toEqual({ file: "-e #1", key: "b" });
  });
});
