/** A small inventory view for template tests: a fake HostLookup over fixed data (pure logic only). */
import type { HostLookup, TemplateContext } from "../../../src/template/render.js";
import type { Vars } from "../../../src/inventory/types.js";
import { DeployError } from "../../../src/errors.js";

const GROUPS: Record<string, string[]> = {
  control: ["ctl1", "ctl2"],
  memcached: ["ctl1", "ctl2"],
  compute: ["cmp1"],
  all: ["ctl1", "ctl2", "cmp1"],
};

const HOST_VARS: Record<string, Vars> = {
  ctl1: { inventory_hostname: "ctl1", api_interface: "eth1" },
  ctl2: { inventory_hostname: "ctl2", api_interface: "eth1", memcached_port: 11211 },
  cmp1: { inventory_hostname: "cmp1", api_interface: "ens3" },
};

const ADDRESSES: Record<string, string> = { "ctl1/eth1": "198.18.0.11", "ctl2/eth1": "198.18.0.12", "cmp1/ens3": "198.18.0.21" };

export const lookup: HostLookup = {
  groupHosts: (group) => GROUPS[group] ?? [],
  hostGroups: (host) => Object.keys(GROUPS).filter((g) => GROUPS[g]!.includes(host)),
  hostVars: (host) => HOST_VARS[host] ?? {},
  address(host, ifaceVar) {
    const iface = HOST_VARS[host]?.[ifaceVar];
    const address = ADDRESSES[`${host}/${String(iface)}`];
    if (address === undefined) throw new DeployError("E_FACTS_ADDRESS", `no IPv4 address for ${host} on ${String(iface)}`, "gather facts first", { host });
    return address;
  },
};

export function contextFor(vars: Vars, host = "ctl1"): TemplateContext {
  return { vars: { inventory_hostname: host, ...vars }, host, lookup };
}
