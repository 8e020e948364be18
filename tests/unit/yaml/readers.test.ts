/**
 * Every real reader types YAML as Ansible does, end to end: `09` and `1e5` stay strings (the YAML 1.2
 * or package defaults made them numbers), `017` is octal, `y` a string, in globals.yml, passwords.yml,
 * a YAML inventory with host_vars/, role defaults, merge_yaml, and what genpwd and display write.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config/index.js";
import { generatePasswords } from "../../../src/config/genpwd.js";
import { loadInventory } from "../../../src/inventory/index.js";
import { mergeYaml } from "../../../src/merge/index.js";
import { loadRoles, roleDefaultsSources } from "../../../src/roles/index.js";
import { parseYaml, scalarText, stringifyYaml, toPlain } from "../../../src/yaml/index.js";
import { emptyDefaults, sampleInventory, tempTree } from "../config/fixtures.js";

const CASES = "nine: 09\nexp: 1e5\noctal: 017\nwhy: y\nyes_: yes\nday: 2001-12-14\n";
const EXPECTED = { nine: "09", exp: "1e5", octal: 15, why: "y", yes_: true, day: "2001-12-14" };

describe("YAML readers keep Ansible's typing end to end", () => {
  it("globals.yml and globals.d/ (a JSON file there is typed as JSON, as Ansible reads it first)", () => {
    const root = tempTree({ "kolla/globals.yml": CASES, "kolla/globals.d/10.json": '{"json_exp": 1e5, "json_nine": "09"}\n' });
    const vars = loadConfig({ configdir: `${root}/kolla`, extraVars: [], projectDefaultsDir: emptyDefaults() }, sampleInventory()).varsFor("n1");
    expect({ ...pick(vars, Object.keys(EXPECTED)), json_exp: vars.json_exp, json_nine: vars.json_nine }).toEqual({ ...EXPECTED, json_exp: 100000, json_nine: "09" });
  });

  it("passwords.yml, and genpwd fills the empty values around them without retyping them", async () => {
    const root = tempTree({ "kolla/passwords.yml": `${CASES}database_password:\n` });
    await generatePasswords(`${root}/kolla/passwords.yml`);
    const vars = loadConfig({ configdir: `${root}/kolla`, extraVars: [], projectDefaultsDir: emptyDefaults() }, sampleInventory()).varsFor("n1");
    expect(pick(vars, Object.keys(EXPECTED))).toEqual(EXPECTED);
    expect(readFileSync(`${root}/kolla/passwords.yml`, "utf8")).toContain(CASES);
    expect(typeof vars.database_password).toBe("string");
  });

  it("a YAML inventory: host vars, group vars and host_vars/ files", () => {
    const root = tempTree({
      "inventory/hosts.yml": "all:\n  vars:\n    group_nine: 09\n  hosts:\n    node1:\n      host_exp: 1e5\n      host_octal: 017\n",
      "inventory/host_vars/node1.yml": CASES,
    });
    const inventory = loadInventory([join(root, "inventory/hosts.yml")]);
    expect(inventory.hosts.get("node1")?.vars).toEqual({ host_exp: "1e5", host_octal: 15 });
    expect(inventory.groups.get("all")?.vars).toEqual({ group_nine: "09" });
    expect(inventory.varsLayers?.[0]?.hosts.get("node1")).toEqual(EXPECTED);
  });

  it("role defaults, read by the roles loader and by the config", () => {
    const rolesDir = join(mkdtempSync(join(tmpdir(), "kd-roles-")), "roles");
    cpSync(join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/roles/good/roles"), rolesDir, { recursive: true });
    writeFileSync(join(rolesDir, "memcached/defaults.yml"), CASES);
    const defaults = roleDefaultsSources(loadRoles(rolesDir));
    const vars = loadConfig({ configdir: mkdtempSync(join(tmpdir(), "kd-kolla-")), extraVars: [], projectDefaultsDir: emptyDefaults(), roleDefaults: defaults }, sampleInventory()).varsFor("n1");
    expect(pick(vars, Object.keys(EXPECTED))).toEqual(EXPECTED);
  });

  it("merge_yaml (PyYAML safe_load, then yaml.dump): 09 and 1e5 stay strings, written plain as PyYAML writes them", () => {
    expect(mergeYaml([{ path: "a.yml", text: "nine: 09\nexp: 1e5\n" }, { path: "b.yml", text: "octal: 017\n" }])).toBe("exp: 1e5\nnine: 09\noctal: 15\n");
  });
});

describe("YAML we write reads back with the same types in Ansible", () => {
  it("quotes a string whenever PyYAML would type it (and `09`, `1e5`, `0o17` too: YAML 1.2 would)", () => {
    const quoted = ["yes", "on", "0755", "017", "1:20", "0b1", "2001-12-14", "1.5", ".inf", "~", "", "<<", "=", "09", "1e5", "0o17"];
    const plain = ["y", "n", "abc", "1.2.3", "a:b"];
    for (const text of quoted) expect(scalarText(text), text).toMatch(/^["']/);
    for (const text of plain) expect(scalarText(text), text).toBe(text);
  });

  it("stringifyYaml output parses back to the same value", () => {
    const value = { a: "yes", b: "09", c: "1:20", d: 15, e: true, f: null, g: ["2001-12-14", "y"], h: { i: "0x1F" } };
    expect(toPlain(parseYaml(stringifyYaml(value)))).toEqual(value);
  });
});

function pick(vars: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, vars[k]]));
}
