/**
 * A rolling rollout: hosts in batches (`--serial`), every host of a batch at once, and the next
 * batch only after the whole batch passed its health gate. The run stops at the first failed
 * batch, or once the failures exceed `--max-fail-percentage`; later hosts are never touched.
 */
import { isFailure, onEveryHost } from "../apply/fanout.js";
import { makeBatches, mustStop } from "./batches.js";
import type { RunEnv } from "./host-ops.js";
import type { HostResult, RoleReport } from "./types.js";

export interface HostJob {
  readonly host: string;
}

/** Runs one host's work in batch `batch`; it reports failure in its result instead of throwing. */
export type HostTask<J extends HostJob> = (job: J, batch: number) => Promise<HostResult>;

function notReached(job: HostJob, role: string, batch: number): HostResult {
  return { host: job.host, role, status: "not reached", batch, containers: [], files: [], ms: 0 };
}

export async function rollOut<J extends HostJob>(env: RunEnv, report: RoleReport, jobs: readonly J[], task: HostTask<J>): Promise<HostResult[]> {
  const batches = makeBatches(jobs, env.settings.serial);
  report.batches.push(...batches.map((b) => b.map((j) => j.host)));
  const results: HostResult[] = [];
  let failed = 0;
  for (const [index, batch] of batches.entries()) {
    if (report.stopped !== undefined) {
      results.push(...batch.map((job) => notReached(job, report.role, index + 1)));
      continue;
    }
    env.progress.note(`${report.role}: batch ${index + 1}/${batches.length}: ${batch.map((j) => j.host).join(", ")}`);
    const jobOf = new Map(batch.map((job) => [job.host, job]));
    const settled = await onEveryHost([...jobOf.keys()], env.forks, (host) => task(jobOf.get(host)!, index + 1));
    // A task reports its failures in its result; a throw is a bug, and still that host's failure.
    const done = settled.map((r): HostResult => (isFailure(r) ? { ...notReached(jobOf.get(r.host)!, report.role, index + 1), status: "failed", error: r.error } : r.value));
    results.push(...done);
    failed += done.filter((r) => r.status === "failed").length;
    if (mustStop(failed, jobs.length, env.settings.maxFailPercentage)) {
      report.stopped = `${report.role}: stopped after batch ${index + 1}/${batches.length}: ${failed} of ${jobs.length} host(s) failed`;
      env.progress.note(report.stopped);
    }
  }
  return results;
}
