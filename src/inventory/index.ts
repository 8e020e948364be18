/**
 * The inventory module: reads Ansible inventories (INI and YAML, group_vars/ and host_vars/) into an
 * Inventory, answers Ansible's questions about it (hostvars, group_names, groups, --limit patterns),
 * and prints it the way `ansible-inventory` does.
 */
export type { Inventory, InventoryGroup, InventoryHost, Vars, VarsLayer } from "./types.js";
export { loadInventory } from "./load.js";
export { hostVars, groupNames, hostsInGroup, groupsMap, groupVars } from "./vars.js";
export { selectHosts } from "./patterns.js";
export { toAnsibleList, toAnsibleGraph, toAnsibleJson } from "./output.js";
