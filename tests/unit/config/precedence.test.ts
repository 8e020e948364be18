import { describe, expect, it } from "vitest";
import { loadConfig, type ConfigInputs } from "../../../src/config/index.js";
import type { Inventory } from "../../../src/inventory/types.js";
import { emptyDefaults, sampleInventory, tempTree } from "./fixtures.js";

// Layer n defines every variable top_1 .. top_n, so top_n must come from layer n.
const LAYERS = ["role", "project", "group_all", "group_control", "host", "globals", "globals_d", "passwords", "extra"];
function varsUpTo(layer: number): Record<string, string> {
  return Object.fromEntries(LAYERS.slice(layer).map((_, i) => [`top_${layer + i + 1}`, LAYERS[layer]!]));
}
function yamlOf(vars: Record<string, unknown>): string {
  return Object.entries(vars).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join("\n") + "\n";
}

function setup(): { inputs: ConfigInputs; inventory: Inventory } {
  const root = tempTree({
    "defaults/all.yml": yamlOf(varsUpTo(1)),
    "kolla/globals.yml": yamlOf(varsUpTo(5)),
    "kolla/globals.d/10-extra.yml": yamlOf(varsUpTo(6)),
    "kolla/passwords.yml": yamlOf(varsUpTo(7)),
    "extra.yml": yamlOf(varsUpTo(8)),
  });
  const inventory = sampleInventory({ all: varsUpTo(2), control: varsUpTo(3), c1: varsUpTo(4) });
  const inputs: ConfigInputs = {
    configdir: `${root}/kolla`,
    extraVars: ["@extra.yml"],
    cwd: root,
    roleDefaults: [{ file: "roles/x/defaults.yml", text: yamlOf(varsUpTo(0)) }],
    projectDefaultsDir: `${root}/defaults`,
  };
  return { inputs, inventory };
}

describe("loadConfig() precedence, lowest first", () => {
  const { inputs, inventory } = setup();
  const vars = loadConfig(inputs, inventory).varsFor("c1.example.com");

  it.each(LAYERS.map((name, i) => [i + 1, name]))("top_%i comes from the %s layer", (n, name) => {
    expect(vars[`top_${n}`]).toBe(name);
  });

  it("a host outside `control` does not see control's group vars", () => {
    const other = loadConfig(inputs, inventory).varsFor("n1");
    expect(other.top_4).toBe("group_all");
    expect(other.top_5).toBe("group_all");
  });
});

describe("loadConfig() merging rules", () => {
  it("top-level keys replace: dicts are not deep-merged", () => {
    const root = tempTree({ "kolla/globals.yml": "dims:\n  b: 2\n" });
    const config = loadConfig({
      configdir: `${root}/kolla`, extraVars: [], projectDefaultsDir: emptyDefaults(),
      roleDefaults: [{ file: "r.yml", text: "dims:\n  a: 1\n  b: 1\n" }],
    }, sampleInventory());
    expect(config.varsFor("n1").dims).toEqual({ b: 2 });
  });

  it("reads globals.d/*.yml, *.yaml and *.json sorted by name, ignoring other files", () => {
    const root = tempTree({
      "kolla/globals.yml": "order: globals\nfrom_globals: 1\n",
      "kolla/globals.d/20-b.yaml": "order: b\nfrom_b: 1\n",
      "kolla/globals.d/10-a.yml": "order: a\nfrom_a: 1\n",
      "kolla/globals.d/30-c.json": '{"order": "c", "from_c": 1}',
      "kolla/globals.d/99-z.txt": "order: z\n",
    });
    const vars = loadConfig({ configdir: `${root}/kolla`, extraVars: [], projectDefaultsDir: emptyDefaults() }, sampleInventory()).varsFor("n1");
    expect(vars.order).toBe("c");
    expect([vars.from_globals, vars.from_a, vars.from_b, vars.from_c]).toEqual([1, 1, 1, 1]);
  });

  it("several role defaults: later ones win", () => {
    const config = loadConfig({
      configdir: "/nonexistent", extraVars: [], projectDefaultsDir: emptyDefaults(),
      roleDefaults: [{ file: "a.yml", text: "x: a\ny: a\n" }, { file: "b.yml", text: "x: b\n" }],
    }, sampleInventory());
    expect([config.varsFor("n1").x, config.varsFor("n1").y]).toEqual(["b", "a"]);
  });

  it("-e values apply in order and beat passwords", () => {
    const root = tempTree({ "kolla/passwords.yml": "db_password: from_file\n" });
    const vars = loadConfig({ configdir: `${root}/kolla`, extraVars: ["db_password=one", "db_password=two"], projectDefaultsDir: emptyDefaults() }, sampleInventory()).varsFor("n1");
    expect(vars.db_password).toBe("two");
  });

  it("--passwords points at another file", () => {
    const root = tempTree({ "kolla/passwords.yml": "p: default\n", "other.yml": "p: other\n" });
    const config = loadConfig({ configdir: `${root}/kolla`, passwordsFile: `${root}/other.yml`, extraVars: [], projectDefaultsDir: emptyDefaults() }, sampleInventory());
    expect(config.varsFor("n1").p).toBe("other");
  });

  it("YAML follows PyYAML 1.1: yes/no/on/off are booleans, y/n stay strings, 0644 is octal", () => {
    const root = tempTree({ "kolla/globals.yml": "a: yes\nb: off\nc: y\nd: n\ne: 0644\nf: 2024-01-01\n" });
    const vars = loadConfig({ configdir: `${root}/kolla`, extraVars: [], projectDefaultsDir: emptyDefaults() }, sampleInventory()).varsFor("n1");
    expect([vars.a, vars.b, vars.c, vars.d, vars.e, vars.f]).toEqual([true, false, "y", "n", 420, "2024-01-01"]);
  });
});

describe("magic variables", () => {
  const root = tempTree({});
  const config = loadConfig({ configdir: `${root}/kolla`, extraVars: ["inventory_hostname=spoof"], projectDefaultsDir: emptyDefaults() }, sampleInventory());
  const vars = config.varsFor("c1.example.com");

  it("inventory_hostname and inventory_hostname_short sit above every layer", () => {
    expect(vars.inventory_hostname).toBe("c1.example.com");
    expect(vars.inventory_hostname_short).toBe("c1");
  });

  it("group_names lists the host's groups without all; groups maps every group to its hosts", () => {
    expect(vars.group_names).toEqual(["control"]);
    expect((vars.groups as Record<string, string[]>).all).toEqual(["c1.example.com", "n1"]);
    expect((vars.groups as Record<string, string[]>).compute).toEqual(["n1"]);
  });

  it("can be referenced from values", () => {
    const cfg = loadConfig({ configdir: "/nonexistent", extraVars: [], projectDefaultsDir: emptyDefaults(),
      roleDefaults: [{ file: "r.yml", text: "me: \"{{ inventory_hostname_short }}\"\nfirst_compute: \"{{ groups['compute'][0] }}\"\nis_control: \"{{ 'control' in group_names }}\"\n" }] }, sampleInventory());
    const v = cfg.varsFor("c1.example.com");
    expect([v.me, v.first_compute, v.is_control]).toEqual(["c1", "n1", true]);
  });
});
