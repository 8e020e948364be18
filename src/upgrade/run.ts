/**
 * The frame both upgrade and rollback run in: an empty report, a plan that stops the run when a
 * host cannot be gathered, and the run environment with each host's live record.
 */
import { makePlan, type PlanResult } from "../apply/planner.js";
import type { HostRecord } from "../plan/record.js";
import type { HostsEnv, RunEnv } from "./host-ops.js";
import type { RollingSettings, RunReport } from "./types.js";

export function emptyReport(verb: RunReport["verb"], tag?: string): RunReport {
  return { verb, ...(tag === undefined ? {} : { tag }), roles: [], hosts: [], failedBeforeChange: new Map(), ms: 0 };
}

/** A plan whose hosts could not all be gathered stops the run before anything changes. */
export async function planOrStop(env: HostsEnv, report: RunReport): Promise<PlanResult | undefined> {
  // reconfigure's plan: config files and containers, without deploy's bootstrap steps (upgrade plans its own).
  const result = await makePlan(env.p, env.pool, "reconfigure", env.forks);
  if (result.failed.size === 0) return result;
  for (const [host, error] of result.failed) report.failedBeforeChange.set(host, error);
  report.stopped = `${result.failed.size} host(s) could not be reached; nothing was changed`;
  return undefined;
}

/** Called once per run, with the plan the run works from (so its warnings are shown once). */
export function runEnv(env: HostsEnv, settings: RollingSettings, result: PlanResult): RunEnv {
  for (const warning of result.plan.warnings) env.progress.note(`warning: ${warning}`);
  const records = new Map<string, HostRecord>([...result.states].map(([host, s]) => [host, s.record]));
  return { ...env, settings, result, records };
}
