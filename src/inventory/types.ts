/** The parsed inventory: Ansible's model of hosts, groups and their variables. */
export type Vars = Record<string, unknown>;

export interface InventoryHost {
  /** inventory_hostname */
  readonly name: string;
  /** Variables set on the host in inventory files: inline INI vars, YAML host vars, `host:port` as ansible_port. */
  readonly vars: Vars;
}

export interface InventoryGroup {
  readonly name: string;
  /** Hosts listed directly in this group, in order of first appearance. */
  readonly hosts: readonly string[];
  /** Direct child groups, in order of first appearance. */
  readonly children: readonly string[];
  /** [group:vars] and YAML group vars (inventory files only; group_vars/ lives in `Inventory.varsLayers`). */
  readonly vars: Vars;
  /** ansible_group_priority (default 1); orders same-depth groups when merging their vars. */
  readonly priority?: number;
}

/** group_vars/ and host_vars/ found beside one inventory source, already merged per group and host. */
export interface VarsLayer {
  /** The directory holding group_vars/ and host_vars/. */
  readonly dir: string;
  readonly groups: ReadonlyMap<string, Vars>;
  readonly hosts: ReadonlyMap<string, Vars>;
}

export interface Inventory {
  /** Every host, in order of first appearance across all sources. */
  readonly hosts: ReadonlyMap<string, InventoryHost>;
  /** Every group including the implicit `all` and `ungrouped`, in order of creation. */
  readonly groups: ReadonlyMap<string, InventoryGroup>;
  /** The files and directories it was read from, in order. */
  readonly sources: readonly string[];
  /** One layer per source, in source order (later layers win). Absent means none. */
  readonly varsLayers?: readonly VarsLayer[];
}
