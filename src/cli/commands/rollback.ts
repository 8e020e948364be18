/**
 * `rollback [--service NAME]`: put a role's containers back on what its latest upgrade saved on
 * each host (previous image and config files), in rolling batches behind the health gate.
 */
import type { Command } from "commander";
import { prepareRollout, runRollback } from "../../upgrade/index.js";
import { runOptions, withCommonOptions, withLockOptions, withTransportOptions } from "../common.js";
import { rollingSettings, runRollout, serviceOf, withRollingOptions, type RolloutFlags } from "./upgrade.js";

export function register(program: Command): void {
  const cmd = program
    .command("rollback")
    .description("undo a role's latest upgrade from the state its hosts saved: previous config files back, containers recreated with the previous image, host by host behind the health gate")
    .option("--service <name>", "the role to roll back (e.g. keystone, or one of its tags); default: every role --tags selects, in reverse site order");
  withLockOptions(withTransportOptions(withCommonOptions(withRollingOptions(cmd)))).action(async (flags: RolloutFlags) => {
    const opts = runOptions(flags);
    const settings = rollingSettings(flags);
    const p = prepareRollout(opts.common, serviceOf(flags));
    process.exitCode = await runRollout("rollback", opts, flags, p, (env) => runRollback(env, settings));
  });
}
