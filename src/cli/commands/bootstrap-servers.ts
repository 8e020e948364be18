/**
 * bootstrap-servers: prepare the baremetal hosts (container engine, its configuration, /etc/hosts,
 * kolla user, config directory). `--check` prints the plan and exits 2 when something would change.
 */
import type { Command } from "commander";
import {
  applyBootstrap,
  bootstrapJson,
  formatBootstrapPlan,
  formatBootstrapSummary,
  planBootstrap,
  prepareBootstrap,
} from "../../bootstrap/index.js";
import { ExitCode } from "../../errors.js";
import { withHostLocks } from "../../lock/index.js";
import { lockOptions, parseCount, runOptions, withCommonOptions, withLockOptions, withTransportOptions } from "../common.js";
import { runIdentity, withRun } from "../session.js";
import type { DeployFlags } from "./deploy.js";

export function register(program: Command): void {
  const cmd = program
    .command("bootstrap-servers")
    .description("prepare the baremetal hosts: container engine and its config, /etc/hosts, kolla user, config directory")
    .option("--check", "print what would change on each host (with diffs), change nothing; exit 2 if something would change")
    .option("--forks <n>", "hosts worked on at once", parseCount, 100);
  withLockOptions(withTransportOptions(withCommonOptions(cmd))).action(async (flags: DeployFlags) => {
    process.exitCode = await runBootstrap(flags);
  });
}

async function runBootstrap(flags: DeployFlags): Promise<number> {
  const opts = runOptions(flags);
  const p = prepareBootstrap(opts.common);
  const targets = { inventory: p.inventory, poolHosts: p.baremetal, logFields: { hosts: p.hosts, baremetal: p.baremetal } };
  return withRun("bootstrap-servers", opts, targets, async ({ common, pool, forks, progress, started, logPath }) => {
    if (flags.check === true) {
      const result = await planBootstrap(p, pool, forks);
      process.stdout.write(common.json ? bootstrapJson(result, undefined, p.secrets) : formatBootstrapPlan(result, p.secrets));
      if (result.failed.size > 0) return ExitCode.failure;
      return result.plans.some((h) => h.changes.length > 0) ? ExitCode.changesPending : ExitCode.ok;
    }
    // Like deploy: the lock is held from before the plan until the last change.
    return withHostLocks(pool, p.hosts, runIdentity("bootstrap-servers", p.secrets), async (session) => {
      const result = await planBootstrap({ ...p, hosts: session.hosts }, pool, forks);
      for (const w of result.warnings) progress.note(`warning: ${w}`);
      const outcomes = await applyBootstrap(result, pool, forks, p.secrets, progress);
      const failed = new Map([...session.failed, ...result.failed]);
      const text = common.json ? bootstrapJson(result, outcomes, p.secrets) : formatBootstrapSummary(outcomes, failed, Date.now() - started, p.secrets);
      process.stdout.write(text);
      process.stderr.write(`run log: ${logPath}\n`);
      return failed.size > 0 || outcomes.some((o) => o.status === "failed") ? ExitCode.failure : ExitCode.ok;
    }, lockOptions(flags, (m) => progress.note(m)));
  });
}
