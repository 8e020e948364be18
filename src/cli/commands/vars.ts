/**
 * `kolla-deploy vars`: one host's variables after every layer and reference is applied, so operators
 * can see the effect of precedence (role defaults < etc/defaults < inventory < globals < passwords < -e).
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { DeployError, Diagnostics } from "../../errors.js";
import { commonOptions, withCommonOptions, type CommonFlags, type CommonOptions } from "../common.js";
import { listVars, loadConfig, localhostInventory, toYaml } from "../../config/index.js";
import { loadInventory, type Inventory } from "../../inventory/index.js";
import { loadRoles, roleDefaultsSources } from "../../roles/index.js";

const ROLES_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "roles");

interface VarsFlags {
  host?: string;
  showSecrets?: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command("vars")
    .description("print one host's resolved variables (YAML, or JSON with --json)")
    .argument("[names...]", "only these variables")
    .option("--host <name>", "the host (default: the inventory's first host, or localhost without -i)")
    .option("--show-secrets", "print password values instead of <secret>", false);
  withCommonOptions(cmd).action((names: string[], flags: CommonFlags & VarsFlags) => {
    printVars(names, commonOptions(flags), flags);
  });
}

function printVars(names: readonly string[], common: CommonOptions, flags: VarsFlags): void {
  const inventory = common.inventory.length > 0 ? loadInventory(common.inventory) : localhostInventory();
  const host = chooseHost(inventory, flags.host);
  const roleDefaults = existsSync(join(ROLES_DIR, "site.yml")) ? roleDefaultsSources(loadRoles(ROLES_DIR)) : [];
  const config = loadConfig(
    { configdir: common.configdir, passwordsFile: common.passwords, extraVars: common.extraVars, roleDefaults },
    inventory,
  );
  const listing = listVars(config, host, names, { showSecrets: flags.showSecrets === true });
  const text = common.json ? `${JSON.stringify(listing.values, null, 2)}\n` : toYaml(listing.values);
  process.stdout.write(text);
  const diags = new Diagnostics();
  listing.errors.forEach((error) => diags.add(error));
  diags.throwIfAny();
}

function chooseHost(inventory: Inventory, wanted: string | undefined): string {
  const hosts = [...inventory.hosts.keys()];
  if (wanted === undefined) {
    if (hosts[0] === undefined) throw new DeployError("E_USAGE", "the inventory has no hosts", "add a host to the inventory or pass --host");
    return hosts[0];
  }
  if (!inventory.hosts.has(wanted)) {
    throw new DeployError("E_USAGE", `host '${wanted}' is not in the inventory`, `known hosts: ${hosts.slice(0, 10).join(", ")}`);
  }
  return wanted;
}
