/**
 * `kolla-deploy inventory`: the `ansible-inventory` look-alike (--list, --graph, --host) over the same
 * inputs, so operators can check how their inventory is read before deploying.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { DeployError } from "../../errors.js";
import { commonOptions, withCommonOptions, type CommonFlags } from "../common.js";
import { hostVars, loadInventory, selectHosts, toAnsibleGraph, toAnsibleJson, toAnsibleList } from "../../inventory/index.js";

/** Without -i, kolla-ansible uses its bundled all-in-one inventory; we use ours. */
export function defaultInventory(): string {
  return join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "inventory", "all-in-one");
}

interface InventoryFlags {
  list?: boolean;
  graph?: boolean | string;
  host?: string;
  vars?: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command("inventory")
    .description("show the inventory as ansible-inventory would: --list, --graph [group] or --host NAME")
    .option("--list", "all groups and hosts as JSON, with _meta.hostvars")
    .option("--graph [group]", "the group tree, from `all` or the given group")
    .option("--host <name>", "one host's variables as JSON")
    .option("--vars", "with --graph: show variables too");
  withCommonOptions(cmd).action((flags: CommonFlags & InventoryFlags) => {
    const common = commonOptions(flags);
    const chosen = [flags.list, flags.graph, flags.host].filter((f) => f !== undefined && f !== false);
    if (chosen.length !== 1) {
      throw new DeployError("E_USAGE", "choose exactly one of --list, --graph or --host", "e.g. kolla-deploy inventory -i inventory/multinode --graph");
    }
    const inv = loadInventory(common.inventory.length > 0 ? common.inventory : [defaultInventory()]);
    process.stdout.write(`${render(inv, flags, common.limit)}\n`);
  });
}

function render(inv: ReturnType<typeof loadInventory>, flags: InventoryFlags, limit: string | undefined): string {
  if (flags.host !== undefined) {
    if (!inv.hosts.has(flags.host)) {
      throw new DeployError("E_INVENTORY_HOST_UNKNOWN", `host '${flags.host}' is not in the inventory`, "run with --graph to see every host");
    }
    return toAnsibleJson(hostVars(inv, flags.host));
  }
  if (flags.graph !== undefined) {
    const group = typeof flags.graph === "string" ? flags.graph : "all";
    if (!inv.groups.has(group)) {
      throw new DeployError("E_INVENTORY_GROUP_UNKNOWN", `group '${group}' is not in the inventory`, "give a group name to --graph, or none for all");
    }
    return toAnsibleGraph(inv, { vars: flags.vars === true, group });
  }
  const hosts = limit === undefined ? undefined : selectHosts(inv, limit);
  return toAnsibleJson(toAnsibleList(inv, hosts === undefined ? {} : { hosts }));
}
