/** The parsed inventory: Ansible's model of hosts, groups and their variables. */
export type Vars = Record<string, unknown>;

export interface InventoryHost {
  /** inventory_hostname */
  readonly name: string;
  /** Variables set on the host itself: inline INI vars, YAML host vars, host_vars/. */
  readonly vars: Vars;
}

export interface InventoryGroup {
  readonly name: string;
  /** Hosts listed directly in this group, in order of first appearance. */
  readonly hosts: readonly string[];
  /** Direct child groups, in order of first appearance. */
  readonly children: readonly string[];
  /** [group:vars], YAML group vars, group_vars/. */
  readonly vars: Vars;
}

export interface Inventory {
  /** Every host, in order of first appearance across all sources. */
  readonly hosts: ReadonlyMap<string, InventoryHost>;
  /** Every group including the implicit `all` and `ungrouped`. */
  readonly groups: ReadonlyMap<string, InventoryGroup>;
  /** The files and directories it was read from, in order. */
  readonly sources: readonly string[];
}
