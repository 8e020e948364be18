/**
 * `upgrade [--service NAME] [--tag TAG]`: pull, upgrade steps, then rolling recreation behind a
 * health gate (docs/upgrade.md). The rolling options and the run wrapper are shared with rollback.
 */
import type { Command } from "commander";
import type { Prepared } from "../../apply/prepare.js";
import { ExitCode } from "../../errors.js";
import { withHostLocks, type LockSession } from "../../lock/index.js";
import {
  emptyReport, formatRunSummary, hostHistories, parsePercentage, parseSerial, prepareRollout, runFailed, runReportJson, runUpgrade,
  type HostsEnv, type RollingSettings, type RunReport,
} from "../../upgrade/index.js";
import { commonOptions, parseCount, parseSeconds, withCommonOptions, withTransportOptions } from "../common.js";
import { poolHostsOf } from "./deploy.js";
import { withRun } from "../run.js";
import { lockOptions, runIdentity, withLockOptions } from "./lock.js";

export function register(program: Command): void {
  const cmd = program
    .command("upgrade")
    .description("upgrade a role's containers to new images: pull everywhere first, run the role's upgrade steps once, then recreate host by host, each batch healthy before the next")
    .option("--service <name>", "the role to upgrade (e.g. keystone, or one of its tags); default: every role --tags selects, in site order")
    .option("--tag <tag>", "image tag to upgrade to, for this run (as -e openstack_tag=TAG plus the roles' <name>_tag variables)");
  withLockOptions(withTransportOptions(withCommonOptions(withRollingOptions(cmd)))).action(async (raw: Record<string, unknown>) => {
    const common = commonOptions(raw);
    const settings = rollingSettings(raw);
    const tag = raw.tag as string | undefined;
    const p = prepareRollout(common, { ...serviceOf(raw), ...(tag === undefined ? {} : { tag }) });
    process.exitCode = await runRollout("upgrade", raw, p, (env) => runUpgrade(env, settings, tag));
  });
}

export function serviceOf(raw: Record<string, unknown>): { service?: string } {
  return typeof raw.service === "string" ? { service: raw.service } : {};
}

export function withRollingOptions(cmd: Command): Command {
  return cmd
    .option("--serial <n|n%>", "hosts recreated at once (a count or a percentage of the hosts)", "1")
    .option("--max-fail-percentage <pct>", "keep going while failed hosts are at most this share of all hosts (default: stop at the first failure)")
    .option("--health-timeout <seconds>", "how long each batch's containers may take to become healthy", parseSeconds, 120)
    .option("--forks <n>", "hosts worked on at once (pulls, and within a batch)", parseCount, 100);
}

export function rollingSettings(raw: Record<string, unknown>): RollingSettings {
  const maxFail = raw.maxFailPercentage as string | undefined;
  return {
    serial: parseSerial(String(raw.serial ?? "1")),
    maxFailPercentage: maxFail === undefined ? undefined : parsePercentage(maxFail),
    healthTimeoutMs: Number(raw.healthTimeout ?? 120) * 1000,
  };
}

/** Exit code: 69 when a host could not be reached, 1 for any other failure, else 0. */
function exitCodeOf(report: RunReport): number {
  if ([...report.failedBeforeChange.values()].some((e) => e.code.startsWith("E_HOST"))) return ExitCode.unreachable;
  return runFailed(report) ? ExitCode.failure : ExitCode.ok;
}

/** A host whose lock could not be taken stops a rolling run before anything changes. */
function lockedOrStop(verb: RunReport["verb"], session: LockSession): RunReport | undefined {
  if (session.failed.size === 0) return undefined;
  const report = emptyReport(verb);
  for (const [host, error] of session.failed) report.failedBeforeChange.set(host, error);
  report.stopped = `the deploy lock could not be taken on ${session.failed.size} host(s); nothing was changed`;
  return report;
}

export async function runRollout(verb: RunReport["verb"], raw: Record<string, unknown>, p: Prepared, go: (env: HostsEnv) => Promise<RunReport>): Promise<number> {
  const targets = { inventory: p.inventory, poolHosts: poolHostsOf(p), logFields: { hosts: p.hosts, roles: p.roles.map((r) => r.name) } };
  return withRun(verb, raw, targets, async ({ common, pool, forks, progress, log, logPath }) => {
    // Held from before the plan to the last record, like deploy's: no other run changes these hosts meanwhile.
    const report = await withHostLocks(pool, p.hosts, runIdentity(verb, p.secrets), async (session) => {
      const done = lockedOrStop(verb, session) ?? (await go({ p: { ...p, hosts: session.hosts }, pool, forks, progress }));
      for (const [host, facts] of hostHistories(done)) if (session.hosts.includes(host)) session.record(host, facts);
      return done;
    }, lockOptions(raw, (m) => progress.note(m)));
    process.stdout.write(common.json ? runReportJson(report, p.secrets) : formatRunSummary(report, p.secrets));
    process.stderr.write(`run log: ${logPath}\n`);
    log.info({ stopped: report.stopped ?? null, ms: report.ms }, "rollout end");
    return exitCodeOf(report);
  });
}
