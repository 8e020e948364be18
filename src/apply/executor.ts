/**
 * Applies a plan, and only the plan: every command, upload and record it runs was built by the
 * planner (plan/schedule.ts orders them). Nothing is rendered or built here.
 */
import type { FileUpload, Transport } from "../exec/types.js";
import type { DeployError } from "../errors.js";
import type { Limiter } from "../limit.js";
import { schedule, type ScheduledStep } from "../plan/schedule.js";
import { recordAfter } from "../plan/steps/record.js";
import type { Plan } from "../plan/types.js";
import { hostRunner } from "./fanout.js";
import type { Progress } from "./progress.js";
import { runPlanned, type Sleep } from "./run-commands.js";
import { runPhases, type HostRun } from "./scheduler.js";

export interface HostOutcome {
  host: string;
  status: "changed" | "unchanged" | "failed";
  filesWritten: number;
  containersChanged: number;
  steps: number;
  /** containers whose change completed, and bootstrap steps that succeeded: recorded on the host */
  appliedContainers: Set<string>;
  appliedSteps: Set<string>;
  error?: DeployError;
  ms: number;
}

export interface ApplyEnv {
  readonly plan: Plan;
  readonly pool: { get(host: string): Pick<Transport, "run" | "putFiles"> };
  readonly forks: Limiter;
  readonly progress: Progress;
  readonly secrets: readonly string[];
  /** injectable for tests (pull retries); a real timer otherwise */
  readonly sleep?: Sleep;
}

function keysDone(run: HostRun<ScheduledStep>, tally: ScheduledStep["tally"]): Set<string> {
  return new Set(run.done.filter((s) => s.tally === tally).map((s) => s.key));
}

async function runStep(env: ApplyEnv, step: ScheduledStep, run: HostRun<ScheduledStep>): Promise<void> {
  const transport = env.pool.get(step.host);
  const work = step.work;
  if (work.kind === "upload") {
    const files: FileUpload[] = work.files.map((f) => ({ path: f.path, content: f.content, mode: f.mode, owner: f.owner, group: f.group }));
    return transport.putFiles(files, { become: true });
  }
  if (work.kind === "commands") return runPlanned(hostRunner(env.pool, step.host, env.secrets), work.commands, env.sleep);
  const applied = { containers: keysDone(run, "containers"), steps: keysDone(run, "steps") };
  const content = recordAfter(work.write, applied, new Date().toISOString());
  if (content !== undefined) await transport.putFiles([{ path: work.write.path, content, mode: 0o600, owner: "root", group: "root" }], { become: true });
}

function outcomeOf(run: HostRun<ScheduledStep>, ms: number): HostOutcome {
  const filesWritten = run.done.reduce((n, s) => n + (s.work.kind === "upload" ? s.work.files.length : 0), 0);
  const appliedContainers = keysDone(run, "containers");
  const appliedSteps = keysDone(run, "steps");
  const changed = filesWritten + appliedContainers.size + appliedSteps.size > 0;
  return {
    host: run.host, status: run.error !== undefined ? "failed" : changed ? "changed" : "unchanged",
    filesWritten, containersChanged: appliedContainers.size, steps: appliedSteps.size, appliedContainers, appliedSteps, ms,
    ...(run.error === undefined ? {} : { error: run.error }),
  };
}

export async function applyPlan(env: ApplyEnv): Promise<HostOutcome[]> {
  const start = Date.now();
  const hosts = env.plan.hosts.map((h) => h.host);
  const runs = await runPhases(schedule(env.plan), hosts, env, (step, run) => runStep(env, step, run));
  return [...runs.values()].map((run) => outcomeOf(run, Date.now() - start));
}
