/**
 * Everything bootstrap-servers needs before it touches a host: the inventory, the variables (with
 * the baremetal role defaults as the lowest layer), the hosts, and each host's validated settings.
 * Every input problem is reported here, all at once.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { CommonOptions } from "../options.js";
import { DEFAULT_ROLES_DIR } from "../apply/prepare.js";
import { loadConfig, type Config } from "../config/index.js";
import { DeployError, Diagnostics, formatLocation } from "../errors.js";
import { hostsInGroup, loadInventory, selectHosts } from "../inventory/index.js";
import type { Inventory } from "../inventory/types.js";
import { loadRoles, roleDefaultsSources } from "../roles/index.js";
import { BOOTSTRAP_DEFAULTS_LABEL, BOOTSTRAP_DEFAULTS_YAML } from "./defaults.js";
import { readSettings, type VarReader } from "./settings.js";
import type { BootstrapSettings } from "./types.js";

/** kolla-ansible's kolla-host.yml plays on this group. */
export const BAREMETAL_GROUP = "baremetal";

export interface BootstrapPrepared {
  readonly inventory: Inventory;
  readonly config: Config;
  /** every baremetal host, in inventory order: all are gathered, since /etc/hosts lists them all */
  readonly baremetal: readonly string[];
  /** the hosts this run changes (--limit applied) */
  readonly hosts: readonly string[];
  /** settings of every baremetal host (only those of `hosts` had to validate) */
  readonly settings: ReadonlyMap<string, BootstrapSettings>;
  readonly secrets: readonly string[];
}

function defaultInventory(configdir: string): string[] {
  const candidate = join(configdir, "ansible", "inventory", "all-in-one");
  if (existsSync(candidate)) return [candidate];
  throw new DeployError("E_USAGE", "no inventory given", "pass -i/--inventory (a file or directory), e.g. -i inventory/multinode");
}

export function varReader(config: Config, host: string): VarReader {
  const vars = config.varsFor(host);
  return { get: (name) => vars[name], where: (name) => config.origin(host, name) };
}

export function prepareBootstrap(common: CommonOptions, rolesDir = DEFAULT_ROLES_DIR): BootstrapPrepared {
  const inventory = loadInventory(common.inventory.length > 0 ? common.inventory : defaultInventory(common.configdir));
  const roleDefaults = [{ file: BOOTSTRAP_DEFAULTS_LABEL, text: BOOTSTRAP_DEFAULTS_YAML }, ...roleDefaultsSources(loadRoles(rolesDir))];
  const config = loadConfig(
    {
      configdir: common.configdir,
      ...(common.passwords === undefined ? {} : { passwordsFile: common.passwords }),
      extraVars: common.extraVars,
      roleDefaults,
    },
    inventory,
  );
  if (!inventory.groups.has(BAREMETAL_GROUP)) {
    throw new DeployError("E_BOOTSTRAP_NO_BAREMETAL", `the inventory has no '${BAREMETAL_GROUP}' group`, "bootstrap-servers prepares the hosts of the baremetal group, as kolla-ansible does (see inventory/multinode)");
  }
  const baremetal = hostsInGroup(inventory, BAREMETAL_GROUP);
  const limited = new Set(selectHosts(inventory, common.limit));
  const hosts = baremetal.filter((h) => limited.has(h));
  if (hosts.length === 0) {
    throw new DeployError("E_INVENTORY_NO_HOSTS", `no host of the '${BAREMETAL_GROUP}' group matches the limit`, "check -l/--limit against the inventory");
  }
  const diags = new Diagnostics();
  const seen = new Set<string>();
  const settings = new Map<string, BootstrapSettings>();
  for (const host of baremetal) {
    const own = new Diagnostics();
    settings.set(host, readSettings(host, varReader(config, host), own));
    // other hosts are only read for /etc/hosts: their problems are not this run's
    if (!limited.has(host)) continue;
    for (const error of own.errors) {
      // a bad value in globals.yml is one problem, not one per host
      const key = `${formatLocation(error.where)} ${error.message}`;
      if (!seen.has(key)) diags.add(error);
      seen.add(key);
    }
  }
  diags.throwIfAny();
  return { inventory, config, baremetal, hosts, settings, secrets: config.secretValues() };
}
