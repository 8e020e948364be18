/**
 * What the config layer needs from the inventory: each host's merged group and host variables
 * (layers 3 and 4) and the magic variables. One seam, so the inventory module's API is used in
 * exactly one place here.
 */
import { groupNames, groupsMap, hostVars } from "../inventory/index.js";
import type { Inventory, Vars } from "../inventory/types.js";

/** Inventory group vars overlaid with host vars, as Ansible merges them for one host. */
export function inventoryVarsFor(inventory: Inventory, host: string): Vars {
  return hostVars(inventory, host);
}

/** `inventory_hostname`, `inventory_hostname_short`, `group_names`, `groups` for one host. */
export function magicVarsFor(inventory: Inventory, host: string, groups: Readonly<Record<string, readonly string[]>>): Vars {
  return {
    inventory_hostname: host,
    inventory_hostname_short: host.split(".")[0] ?? host,
    group_names: [...groupNames(inventory, host)],
    groups,
  };
}

/** Every group (including `all`) with every host in it or in its descendants, inventory order. */
export function allGroups(inventory: Inventory): Readonly<Record<string, readonly string[]>> {
  return groupsMap(inventory);
}

/** The inventory used when none is given: one host, `localhost`, in `all` and `ungrouped`. */
export function localhostInventory(): Inventory {
  const host = { name: "localhost", vars: { ansible_connection: "local" } };
  return {
    hosts: new Map([[host.name, host]]),
    groups: new Map([
      ["all", { name: "all", hosts: [], children: ["ungrouped"], vars: {} }],
      ["ungrouped", { name: "ungrouped", hosts: [host.name], children: [], vars: {} }],
    ]),
    sources: [],
  };
}

/** The file name errors show for inventory variables (the inventory does not record lines). */
export function inventoryLabel(inventory: Inventory): string {
  return inventory.sources.length === 1 ? inventory.sources[0]! : "inventory";
}
