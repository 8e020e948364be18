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
import {
  lockOptions, parseCount, parseSeconds, runOptions, withCommonOptions, withLockOptions, withTransportOptions,
  type CommonFlags, type ForksFlags, type LockFlags, type RunOptions, type TransportFlags,
} from "../common.js";
import { preparedTargets, runIdentity, withRun } from "../session.js";

/** What withRollingOptions adds (--forks among them). */
export interface RollingFlags extends ForksFlags {
  serial: string;
  maxFailPercentage?: string;
  healthTimeout: number;
}

/** rollback's flags; upgrade adds --tag. */
export interface RolloutFlags extends CommonFlags, TransportFlags, LockFlags, RollingFlags {
  service?: string;
}

interface UpgradeFlags extends RolloutFlags {
  tag?: string;
}

export function register(program: Command): void {
  const cmd = program
    .command("upgrade")
    .description("upgrade a role's containers to new images: pull everywhere first, run the role's upgrade steps once, then recreate host by host, each batch healthy before the next")
    .option("--service <name>", "the role to upgrade (e.g. keystone, or one of its tags); default: every role --tags selects, in site order")
    .option("--tag <tag>", "image tag to upgrade to, for this run (as -e openstack_tag=TAG plus the roles' <name>_tag variables)");
  withLockOptions(withTransportOptions(withCommonOptions(withRollingOptions(cmd)))).action(async (flags: UpgradeFlags) => {
    const opts = runOptions(flags);
    const settings = rollingSettings(flags);
    const tag = flags.tag;
    const p = prepareRollout(opts.common, { ...serviceOf(flags), ...(tag === undefined ? {} : { tag }) });
    process.exitCode = await runRollout("upgrade", opts, flags, p, (env) => runUpgrade(env, settings, tag));
  });
}

export function serviceOf(flags: { service?: string }): { service?: string } {
  return flags.service === undefined ? {} : { service: flags.service };
}

export function withRollingOptions(cmd: Command): Command {
  return cmd
    .option("--serial <n|n%>", "hosts recreated at once (a count or a percentage of the hosts)", "1")
    .option("--max-fail-percentage <pct>", "keep going while failed hosts are at most this share of all hosts (default: stop at the first failure)")
    .option("--health-timeout <seconds>", "how long each batch's containers may take to become healthy", parseSeconds, 120)
    .option("--forks <n>", "hosts worked on at once (pulls, and within a batch)", parseCount, 100);
}

export function rollingSettings(flags: RollingFlags): RollingSettings {
  return {
    serial: parseSerial(flags.serial),
    maxFailPercentage: flags.maxFailPercentage === undefined ? undefined : parsePercentage(flags.maxFailPercentage),
    healthTimeoutMs: flags.healthTimeout * 1000,
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

export async function runRollout(verb: RunReport["verb"], opts: RunOptions, locking: LockFlags, p: Prepared, go: (env: HostsEnv) => Promise<RunReport>): Promise<number> {
  return withRun(verb, opts, preparedTargets(p), async ({ common, pool, forks, progress, log, logPath }) => {
    // Held from before the plan to the last record, like deploy's: no other run changes these hosts meanwhile.
    const report = await withHostLocks(pool, p.hosts, runIdentity(verb, p.secrets), async (session) => {
      const done = lockedOrStop(verb, session) ?? (await go({ p: { ...p, hosts: session.hosts }, pool, forks, progress }));
      for (const [host, facts] of hostHistories(done)) if (session.hosts.includes(host)) session.record(host, facts);
      return done;
    }, lockOptions(locking, (m) => progress.note(m)));
    process.stdout.write(common.json ? runReportJson(report, p.secrets) : formatRunSummary(report, p.secrets));
    process.stderr.write(`run log: ${logPath}\n`);
    log.info({ stopped: report.stopped ?? null, ms: report.ms }, "rollout end");
    return exitCodeOf(report);
  });
}
