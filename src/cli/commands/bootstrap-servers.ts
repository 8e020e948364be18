/**
 * bootstrap-servers: prepare the baremetal hosts (container engine, its configuration, /etc/hosts,
 * kolla user, config directory). `--check` prints the plan and exits 2 when something would change.
 */
import type { Command } from "commander";
import PQueue from "p-queue";
import { terminalProgress } from "../../apply/progress.js";
import {
  applyBootstrap,
  bootstrapJson,
  formatBootstrapPlan,
  formatBootstrapSummary,
  planBootstrap,
  prepareBootstrap,
  type BootstrapPrepared,
} from "../../bootstrap/index.js";
import { ExitCode } from "../../errors.js";
import { TransportPool } from "../../exec/index.js";
import { hostVars } from "../../inventory/index.js";
import { openRunLog } from "../../log.js";
import { commonOptions, parseCount, transportOptions, withCommonOptions, withTransportOptions } from "../common.js";

export function register(program: Command): void {
  const cmd = program
    .command("bootstrap-servers")
    .description("prepare the baremetal hosts: container engine and its config, /etc/hosts, kolla user, config directory")
    .option("--check", "print what would change on each host (with diffs), change nothing; exit 2 if something would change")
    .option("--forks <n>", "hosts worked on at once", parseCount, 100);
  withTransportOptions(withCommonOptions(cmd)).action(async (raw: Record<string, unknown>) => {
    process.exitCode = await runBootstrap(raw);
  });
}

function poolFor(p: BootstrapPrepared, raw: Record<string, unknown>): TransportPool {
  return new TransportPool(p.baremetal.map((name) => ({ name, vars: hostVars(p.inventory, name) })), transportOptions(raw));
}

async function runBootstrap(raw: Record<string, unknown>): Promise<number> {
  const common = commonOptions(raw);
  const started = Date.now();
  const p = prepareBootstrap(common);
  const { log, path } = openRunLog("bootstrap-servers");
  log.info({ hosts: p.hosts, baremetal: p.baremetal }, "run start");
  const pool = poolFor(p, raw);
  const forks = new PQueue({ concurrency: raw.forks as number });
  const progress = terminalProgress(log, common.json);
  try {
    const result = await planBootstrap(p, pool, forks);
    if (raw.check === true) {
      process.stdout.write(common.json ? bootstrapJson(result, undefined, p.secrets) : formatBootstrapPlan(result, p.secrets));
      if (result.failed.size > 0) return ExitCode.failure;
      return result.plans.some((h) => h.changes.length > 0) ? ExitCode.changesPending : ExitCode.ok;
    }
    for (const w of result.warnings) progress.note(`warning: ${w}`);
    const outcomes = await applyBootstrap(result, pool, forks, p.secrets, progress);
    const text = common.json ? bootstrapJson(result, outcomes, p.secrets) : formatBootstrapSummary(outcomes, result.failed, Date.now() - started, p.secrets);
    process.stdout.write(text);
    process.stderr.write(`run log: ${path}\n`);
    return result.failed.size > 0 || outcomes.some((o) => o.status === "failed") ? ExitCode.failure : ExitCode.ok;
  } finally {
    log.info({ stats: pool.stats }, "run end");
    await pool.closeAll();
  }
}
