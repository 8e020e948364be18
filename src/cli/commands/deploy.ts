/**
 * deploy, reconfigure, genconfig and deploy-containers: plan, then (unless --check) apply.
 * `--check` prints the plan, changes nothing, and exits 0 when nothing would change, 2 otherwise.
 */
import type { Command } from "commander";
import { applyPlan } from "../../apply/executor.js";
import { gatherQueries, makePlan, type Verb } from "../../apply/planner.js";
import { prepare, type Prepared } from "../../apply/prepare.js";
import { ExitCode } from "../../errors.js";
import { planJson, redactDeep } from "../../plan/json.js";
import { planHasChanges } from "../../plan/types.js";
import { noChanges, withHostLocks, type LockSession } from "../../lock/index.js";
import type { PlanResult } from "../../apply/planner.js";
import type { HostOutcome } from "../../apply/executor.js";
import {
  lockOptions, parseCount, runOptions, withCommonOptions, withLockOptions, withTransportOptions,
  type CommonFlags, type ForksFlags, type LockFlags, type TransportFlags,
} from "../common.js";
import { hostChanges } from "../host-changes.js";
import { formatPlan, formatSummary } from "../report.js";
import { preparedTargets, runIdentity, withRun } from "../session.js";

/** deploy's flags; bootstrap-servers takes the same. */
export interface DeployFlags extends CommonFlags, TransportFlags, ForksFlags, LockFlags {
  check?: boolean;
}

const VERBS: Record<Verb, string> = {
  deploy: "render and write configs, run bootstrap steps, create/recreate/restart containers as needed",
  reconfigure: "render and write configs, then recreate/restart only the containers whose spec or config changed (no bootstrap)",
  genconfig: "render and write the config files only; no container is touched",
  "deploy-containers": "create/recreate/restart containers against the configs already on the hosts; writes no file",
};

export function register(program: Command): void {
  for (const [verb, description] of Object.entries(VERBS) as [Verb, string][]) {
    const cmd = program
      .command(verb)
      .description(description)
      .option("--check", "print the plan (files with diffs, containers with reasons, bootstrap steps), change nothing; exit 2 if something would change")
      .option("--forks <n>", "hosts worked on at once", parseCount, 100);
    withLockOptions(withTransportOptions(withCommonOptions(cmd))).action(async (flags: DeployFlags) => {
      process.exitCode = await runVerb(verb, flags);
    });
  }
}

async function runVerb(verb: Verb, flags: DeployFlags): Promise<number> {
  const opts = runOptions(flags);
  const p = prepare(opts.common);
  return withRun(verb, opts, preparedTargets(p), async ({ common, pool, forks, progress, started, logPath }) => {
    if (flags.check === true) {
      const result = await makePlan(p, pool, verb, forks);
      const doc = { plan: planJson(result.plan, p.secrets), failed: errorsOf(result.failed) };
      const text = common.json ? JSON.stringify(redactDeep(doc, p.secrets), null, 2) + "\n" : formatPlan(result.plan, result.failed, p.secrets, common.verbose > 0);
      process.stdout.write(text);
      if (result.failed.size > 0) return ExitCode.failure;
      return planHasChanges(result.plan) ? ExitCode.changesPending : ExitCode.ok;
    }
    // The lock comes before the plan: a plan read while another run changes the hosts would be stale.
    // So the gather rides in the acquire exec and runs only once the host's lock is ours.
    const gather = gatherQueries(p);
    return withHostLocks(pool, p.hosts, runIdentity(verb, p.secrets), async (session) => {
      const locked: Prepared = { ...p, hosts: session.hosts };
      const result = await makePlan(locked, pool, verb, forks, { query: gather, results: session.queried });
      for (const w of result.plan.warnings) progress.note(`warning: ${w}`);
      const outcomes = await applyPlan({ plan: result.plan, pool, forks, progress, secrets: p.secrets });
      recordHistory(session, result, outcomes);
      const failed = new Map([...session.failed, ...result.failed]);
      const ms = Date.now() - started;
      if (common.json) {
        const doc = { plan: planJson(result.plan, p.secrets), outcomes, failed: errorsOf(failed) };
        process.stdout.write(JSON.stringify(redactDeep(doc, p.secrets), null, 2) + "\n");
      } else {
        process.stdout.write(formatSummary(outcomes, failed, ms, p.secrets));
      }
      process.stderr.write(`run log: ${logPath}\n`);
      const anyFailed = failed.size > 0 || outcomes.some((o) => o.status === "failed");
      return anyFailed ? ExitCode.failure : ExitCode.ok;
    }, { ...lockOptions(flags, (m) => progress.note(m)), query: (host) => gather(host).command });
  });
}

function errorsOf(failed: ReadonlyMap<string, { oneLine(): string; code: string }>): Record<string, { code: string; message: string }> {
  return Object.fromEntries([...failed].map(([h, e]) => [h, { code: e.code, message: e.oneLine() }]));
}

/** What each locked host's history says about this run. */
function recordHistory(session: LockSession, result: PlanResult, outcomes: readonly HostOutcome[]): void {
  for (const o of outcomes) {
    session.record(o.host, { result: o.status === "failed" ? "failed" : "ok", ...(o.error ? { error: o.error.code } : {}), changes: hostChanges(result.plan, o) });
  }
  for (const [host, e] of result.failed) session.record(host, { result: "failed", error: e.code, changes: noChanges() });
}
