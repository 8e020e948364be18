/**
 * What a template sees besides its variables: the host it renders for and a view of the inventory.
 * Host-dependent helpers read this through handlebars' private data, never through module state.
 */
import type { Vars } from "../inventory/types.js";

/** Inventory and fact lookups the host-dependent helpers delegate to (implemented by the vars layer). */
export interface HostLookup {
  /** Inventory hostnames in the group, transitive through children, in inventory order. */
  groupHosts(group: string): string[];
  /** Every group the host belongs to (Ansible's group_names, plus `all`). */
  hostGroups(host: string): string[];
  /** Another host's resolved variables (may be a lazy Proxy). */
  hostVars(host: string): Vars;
  /** The IPv4 address of `host` on the interface named by that host's variable `ifaceVar`. */
  address(host: string, ifaceVar: string): string;
}

export interface TemplateContext {
  /** The target host's resolved variables; may be a lazy Proxy, so it is never cloned or iterated here. */
  vars: Vars;
  /** inventory_hostname of the target host. */
  host: string;
  lookup: HostLookup;
}
