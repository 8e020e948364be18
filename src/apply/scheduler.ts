/**
 * The generic scheduler: phases in order with a barrier between them; inside a phase every host
 * works at once (bounded by --forks) and a host's own steps run in order, except sequential phases
 * (run-once steps), which go one step at a time. A host that fails is skipped in later phases and
 * the others go on; a failed run-once step fails its role on every host that runs it.
 */
import { DeployError } from "../errors.js";
import type { Limiter } from "../limit.js";
import { asDeployError, onEveryHost, tracked } from "./fanout.js";
import type { Progress } from "./progress.js";

export interface StepLike {
  readonly host: string;
  readonly what: string;
  readonly failsRole?: boolean;
}

export interface PhaseLike<S extends StepLike> {
  readonly name: string;
  readonly sequential: boolean;
  readonly steps: readonly S[];
  readonly roleHosts?: readonly string[];
  readonly evenOnFailedHosts?: boolean;
}

/** What became of one host: the steps that succeeded, in order, and the first error. */
export interface HostRun<S> {
  readonly host: string;
  readonly done: S[];
  error?: DeployError;
}

export interface SchedulerEnv {
  readonly forks: Limiter;
  readonly progress: Progress;
  readonly secrets: readonly string[];
}

export type StepRunner<S> = (step: S, run: HostRun<S>) => Promise<void>;

function failRole<S extends StepLike>(runs: Map<string, HostRun<S>>, phase: PhaseLike<S>, step: S): void {
  for (const host of phase.roleHosts ?? []) {
    const run = runs.get(host);
    if (run === undefined || run.error !== undefined) continue;
    run.error = new DeployError("E_BOOTSTRAP", `${phase.name} failed on ${step.host}`, `fix the error reported for ${step.host}, then run again`, { host });
  }
}

async function attempt<S extends StepLike>(env: SchedulerEnv, runs: Map<string, HostRun<S>>, phase: PhaseLike<S>, step: S, runStep: StepRunner<S>): Promise<void> {
  const run = runs.get(step.host)!;
  if (run.error !== undefined && phase.evenOnFailedHosts !== true) return;
  try {
    await tracked(env.progress, env.secrets, step.host, step.what, () => runStep(step, run));
    run.done.push(step);
  } catch (error) {
    run.error ??= asDeployError(error, step.host);
    if (step.failsRole === true) failRole(runs, phase, step);
  }
}

export async function runPhases<S extends StepLike>(phases: readonly PhaseLike<S>[], hosts: readonly string[], env: SchedulerEnv, runStep: StepRunner<S>): Promise<Map<string, HostRun<S>>> {
  const runs = new Map<string, HostRun<S>>(hosts.map((host) => [host, { host, done: [] }]));
  for (const phase of phases) {
    for (const step of phase.steps) if (!runs.has(step.host)) runs.set(step.host, { host: step.host, done: [] });
    if (phase.sequential) {
      for (const step of phase.steps) await attempt(env, runs, phase, step, runStep);
      continue;
    }
    const phaseHosts = [...new Set(phase.steps.map((s) => s.host))];
    await onEveryHost(phaseHosts, env.forks, async (host) => {
      for (const step of phase.steps.filter((s) => s.host === host)) await attempt(env, runs, phase, step, runStep);
    });
  }
  return runs;
}
