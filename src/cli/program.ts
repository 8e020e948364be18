/** Builds the commander program: one module per verb, each exporting `register(program)`. */
import { Command, CommanderError } from "commander";
import { ExitCode } from "../errors.js";
import { register as registerInventory } from "./commands/inventory.js";
import { register as registerMergeIni } from "./commands/merge-ini.js";
import { register as registerGenpwd } from "./commands/genpwd.js";
import { register as registerShell } from "./commands/shell.js";
import { register as registerVars } from "./commands/vars.js";
import { register as registerDeploy } from "./commands/deploy.js";
import { register as registerBuild } from "./commands/build.js";
import { register as registerPrechecks } from "./commands/prechecks.js";
import { register as registerCheck } from "./commands/check.js";
import { register as registerPull } from "./commands/pull.js";
import { register as registerStop } from "./commands/stop.js";
import { register as registerDestroy } from "./commands/destroy.js";
import { register as registerPruneImages } from "./commands/prune-images.js";
import { register as registerPostDeploy } from "./commands/post-deploy.js";
import { register as registerUpgrade } from "./commands/upgrade.js";
import { register as registerRollback } from "./commands/rollback.js";
import { register as registerBootstrapServers } from "./commands/bootstrap-servers.js";
import { register as registerLock } from "./commands/lock.js";
import { register as registerHistory } from "./commands/history.js";

export const VERSION = "0.1.0";

export function buildProgram(): Command {
  const program = new Command("kolla-deploy")
    .description("Agentless SSH deployment of containerized OpenStack, reading kolla-ansible's inputs")
    .version(VERSION)
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  for (const register of [registerInventory, registerVars, registerMergeIni, registerGenpwd, registerShell, registerDeploy, registerPrechecks, registerCheck, registerPull, registerStop, registerDestroy, registerPruneImages, registerPostDeploy, registerUpgrade, registerRollback, registerBootstrapServers, registerBuild, registerLock, registerHistory]) {
    register(program);
  }
  return program;
}

/** The exit code for commander's own errors, which it has already printed (help, version, a usage problem); undefined for any other. */
export function commanderExitCode(error: unknown): number | undefined {
  if (!(error instanceof CommanderError)) return undefined;
  if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return ExitCode.ok;
  return ExitCode.usage;
}
