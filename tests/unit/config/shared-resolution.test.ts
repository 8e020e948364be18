/**
 * Values shared between hosts (resolver.ts SharedResolutions): every host must see exactly what it
 * would see resolving alone, whichever host resolved first.
 */
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config/index.js";
import { emptyDefaults, sampleInventory, tempTree } from "./fixtures.js";

const GLOBALS = [
  'url: "http://{{ vip }}:{{ port }}"',
  "vip: 10.0.0.1",
  'me: "{{ inventory_hostname }}-{{ port }}"',
  'via_me: "[{{ me }}]"',
  'who: "{{ inventory_hostname }}"',
  'via_who: "<{{ who }}>"',
  'iface: "{{ network_interface }}"',
  'maybe: "{{ host_only | default(\'none\') }}"',
  'uses_group: "{{ group_names | length }}"',
  'broken_on_n1: "{{ needs_c1_var }}"',
].join("\n");

function config(order: readonly string[]) {
  const root = tempTree({ "kolla/globals.yml": GLOBALS });
  const inventory = sampleInventory({ all: { port: 5000, network_interface: "eth0" }, c1: { network_interface: "ens3", host_only: "c1!", needs_c1_var: "ok" }, control: { port: 6000 } });
  const cfg = loadConfig({ configdir: `${root}/kolla`, extraVars: [], projectDefaultsDir: emptyDefaults() }, inventory);
  const names = ["url", "me", "via_me", "via_who", "who", "iface", "maybe", "uses_group", "broken_on_n1"];
  const seen: Record<string, Record<string, unknown>> = {};
  for (const host of order) {
    const vars = cfg.varsFor(host);
    seen[host] = Object.fromEntries(names.map((n) => {
      try {
        return [n, vars[n]];
      } catch (error) {
        return [n, `error: ${(error as Error).message}`];
      }
    }));
  }
  return seen;
}

describe("values shared between hosts", () => {
  it("each host sees what it would see alone, in either order", () => {
    const alone = { c1: config(["c1.example.com"])["c1.example.com"], n1: config(["n1"])["n1"] };
    for (const order of [["c1.example.com", "n1"], ["n1", "c1.example.com"]]) {
      const together = config(order);
      expect(together["c1.example.com"]).toEqual(alone.c1);
      expect(together["n1"]).toEqual(alone.n1);
    }
    // and the values differ where the hosts differ (group vars, host vars, magic variables, failures;
    // globals.yml would beat the inventory, as kolla passes it with -e, so these live in the inventory)
    expect(alone.c1).toMatchObject({ url: "http://10.0.0.1:6000", me: "c1.example.com-6000", iface: "ens3", maybe: "c1!", broken_on_n1: "ok" });
    expect(alone.n1).toMatchObject({ url: "http://10.0.0.1:5000", me: "n1-5000", via_me: "[n1-5000]", via_who: "<n1>", iface: "eth0", maybe: "none" });
    expect(String(alone.n1!["broken_on_n1"])).toMatch(/^error: .*needs_c1_var/);
  });
});
