/**
 * Everything a changing verb needs before it touches a host: inventory, roles, variables, the
 * selected hosts and the container-engine driver. Every input problem is found here, and a run
 * that fails here has changed nothing anywhere.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig, type Config } from "../config/index.js";
import { driverFor, type ContainerEngineDriver } from "../engine/driver.js";
import { DeployError, Diagnostics } from "../errors.js";
import { groupNames, loadInventory, selectHosts } from "../inventory/index.js";
import type { Inventory } from "../inventory/types.js";
import { checkRoleGroups, loadRoles, roleDefaultsSources, selectRoles, type Role } from "../roles/index.js";
import { allEnabled } from "../plan/render-files.js";
import type { CommonOptions } from "../options.js";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const DEFAULT_ROLES_DIR = join(REPO_ROOT, "roles");

export interface Prepared {
  readonly inventory: Inventory;
  readonly config: Config;
  readonly allRoles: readonly Role[];
  readonly roles: readonly Role[];
  /** Hosts this run may change (--limit applied), in inventory order. */
  readonly hosts: readonly string[];
  /** Hosts whose facts templates may need: every host that runs any service. */
  readonly factHosts: readonly string[];
  readonly driver: ContainerEngineDriver;
  readonly secrets: readonly string[];
}

function defaultInventory(configdir: string): string[] {
  const candidate = join(configdir, "ansible", "inventory", "all-in-one");
  if (existsSync(candidate)) return [candidate];
  throw new DeployError("E_USAGE", "no inventory given", "pass -i/--inventory (a file or directory), e.g. -i inventory/multinode");
}

/** Hosts that run at least one service of any role (so their addresses may appear in configs). */
function serviceHosts(inventory: Inventory, roles: readonly Role[]): string[] {
  const groups = new Set(roles.flatMap((r) => r.services.flatMap((s) => s.groups)));
  return [...inventory.hosts.keys()].filter((h) => groupNames(inventory, h).some((g) => groups.has(g)));
}

/**
 * An enabled service whose group the inventory lacks would silently deploy nowhere: refuse, as kolla's
 * service-precheck does. Disabled services may name groups an older inventory does not have.
 */
function checkEnabledGroups(roles: readonly Role[], inventory: Inventory, config: Config): void {
  const first = [...inventory.hosts.keys()][0];
  if (first === undefined) return;
  const vars = config.varsFor(first);
  const enabled = roles.map((r) => ({ ...r, services: r.services.filter((s) => allEnabled(s.enabled, vars)) }));
  const diags = new Diagnostics();
  for (const error of checkRoleGroups(enabled, new Set(inventory.groups.keys()))) diags.add(error);
  diags.throwIfAny();
}

export function prepare(common: CommonOptions, rolesDir = DEFAULT_ROLES_DIR): Prepared {
  const inventory = loadInventory(common.inventory.length > 0 ? common.inventory : defaultInventory(common.configdir));
  const allRoles = loadRoles(rolesDir);
  const roles = selectRoles(allRoles, common.tags, common.skipTags);
  const config = loadConfig(
    {
      configdir: common.configdir,
      ...(common.passwords === undefined ? {} : { passwordsFile: common.passwords }),
      extraVars: common.extraVars,
      roleDefaults: roleDefaultsSources(allRoles),
    },
    inventory,
  );
  const factHosts = serviceHosts(inventory, allRoles);
  // Hosts that run no service at all (the deployment host, usually) have nothing to plan.
  const hosts = selectHosts(inventory, common.limit).filter((h) => factHosts.includes(h));
  checkEnabledGroups(allRoles, inventory, config);
  const first = hosts[0] ?? [...inventory.hosts.keys()][0] ?? "localhost";
  const driver = driverFor(String(config.varsFor(first)["kolla_container_engine"] ?? "docker"));
  return { inventory, config, allRoles, roles, hosts, factHosts, driver, secrets: config.secretValues() };
}
