/**
 * Applies a plan: every host works at once (--forks); roles run in site order with a barrier only
 * between roles, and a role's run-once bootstrap steps finish before any host starts that role's
 * containers. A host that fails is left out of the remaining steps; the others finish.
 */
import PQueue from "p-queue";
import { toBool } from "../config/index.js";
import { DeployError } from "../errors.js";
import type { CommandRunner } from "../engine/ops.js";
import type { TransportPool } from "../exec/pool.js";
import { templateContext } from "../plan/host-context.js";
import type { Role } from "../roles/index.js";
import { applyContainerChange } from "./containers.js";
import type { PlanResult } from "./planner.js";
import type { Prepared } from "./prepare.js";
import type { Progress } from "./progress.js";
import { recordUpdate } from "./record-update.js";
import { runStep } from "./steps.js";

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

interface ApplyEnv {
  readonly p: Prepared;
  readonly pool: TransportPool;
  readonly result: PlanResult;
  readonly forks: PQueue;
  readonly progress: Progress;
  readonly outcomes: Map<string, HostOutcome>;
}

function asDeployError(error: unknown, host: string): DeployError {
  if (error instanceof DeployError) return error;
  return new DeployError("E_INTERNAL", (error as Error).message ?? String(error), "this is a bug; see the run log", { host, cause: error });
}

function runner(env: ApplyEnv, host: string): CommandRunner {
  return (cmd) => env.pool.get(host).run({ ...cmd, become: true, secrets: [...(cmd.secrets ?? []), ...env.p.secrets] });
}

/** Runs one step of a host's work; false when it failed now (a host that failed earlier is skipped, true). */
async function onHost(env: ApplyEnv, host: string, what: string, fn: () => Promise<void>): Promise<boolean> {
  const outcome = env.outcomes.get(host)!;
  if (outcome.status === "failed") return true;
  const start = Date.now();
  env.progress.step(host, what);
  try {
    await fn();
    env.progress.done(host, what, Date.now() - start);
    return true;
  } catch (error) {
    outcome.status = "failed";
    outcome.error = asDeployError(error, host);
    env.progress.failed(host, what, outcome.error.oneLine());
    return false;
  }
}

async function writeFiles(env: ApplyEnv): Promise<void> {
  await Promise.all(
    env.result.plan.hosts.map((hp) =>
      env.forks.add(async () => {
        const changed = new Set(hp.files.filter((f) => f.action !== "unchanged").map((f) => f.path));
        if (changed.size === 0) return;
        const files = env.result.desired.get(hp.host)!.services.flatMap((s) => s.files).filter((f) => changed.has(f.path));
        await onHost(env, hp.host, `write ${files.length} config file(s)`, async () => {
          await env.pool.get(hp.host).putFiles(files.map((f) => ({ path: f.path, content: f.content, mode: f.mode, owner: f.owner, group: f.group })), { become: true });
          env.outcomes.get(hp.host)!.filesWritten += files.length;
        });
      }),
    ),
  );
}

async function runSteps(env: ApplyEnv, role: Role, phase: string): Promise<void> {
  const steps = env.result.steps.filter((s) => s.role.name === role.name && s.phase === phase);
  for (const planned of steps) {
    const host = planned.host;
    const ok = await onHost(env, host, `${role.name}: ${planned.change.description}`, async () => {
      const ctx = templateContext(host, env.result.vars.varsFor(host), env.result.lookup);
      await runStep(planned, { run: runner(env, host), driver: env.p.driver, ctx, desired: env.result.desired.get(host) });
      env.outcomes.get(host)!.steps += 1;
      env.outcomes.get(host)!.appliedSteps.add(planned.id);
    });
    if (!ok) failRole(env, role, host);
  }
}

/** A run-once step failed: the role cannot be trusted on any host this run. */
function failRole(env: ApplyEnv, role: Role, where: string): void {
  for (const hp of env.result.plan.hosts) {
    const outcome = env.outcomes.get(hp.host)!;
    if (outcome.status === "failed" || !hp.containers.some((c) => c.role === role.name)) continue;
    outcome.status = "failed";
    outcome.error = new DeployError("E_BOOTSTRAP", `${role.name} bootstrap failed on ${where}`, `fix the error reported for ${where}, then run again`, { host: hp.host });
  }
}

async function roleContainers(env: ApplyEnv, role: Role): Promise<void> {
  await Promise.all(
    env.result.plan.hosts.map((hp) =>
      env.forks.add(async () => {
        const state = env.result.states.get(hp.host)!;
        const vars = env.result.vars.varsFor(hp.host);
        const opts = { graceSec: Number(vars["docker_graceful_timeout"] ?? 60), insecureRegistry: toBool(vars["docker_registry_insecure"] ?? false) };
        for (const change of hp.containers.filter((c) => c.role === role.name && c.action !== "none")) {
          await onHost(env, hp.host, `${change.action} ${change.container} (${change.reasons.join("; ")})`, async () => {
            await applyContainerChange(change, runner(env, hp.host), env.p.driver, state, opts);
            env.outcomes.get(hp.host)!.containersChanged += 1;
            env.outcomes.get(hp.host)!.appliedContainers.add(change.container);
          });
        }
      }),
    ),
  );
}

export async function applyPlan(env: Omit<ApplyEnv, "outcomes">): Promise<HostOutcome[]> {
  const outcomes = new Map<string, HostOutcome>();
  // Run-once steps may run on a host outside --limit (the first host of their group): it gets an outcome too.
  const hosts = [...new Set([...env.result.plan.hosts.map((h) => h.host), ...env.result.steps.map((s) => s.host)])];
  for (const host of hosts) outcomes.set(host, {
      host, status: "unchanged", filesWritten: 0, containersChanged: 0, steps: 0, ms: 0,
      appliedContainers: new Set(), appliedSteps: new Set(),
    });
  const full: ApplyEnv = { ...env, outcomes };
  const start = Date.now();
  // Config files never affect a running container until it restarts, so all of them go first, in one
  // exec per host; keystone registration needs keystone up, so it runs inside each role, like kolla.
  await writeFiles(full);
  for (const role of env.p.roles) {
    await runSteps(full, role, "register");
    await runSteps(full, role, "bootstrap");
    await roleContainers(full, role);
    await runSteps(full, role, "post_start");
  }
  await recordUpdate(full);
  for (const o of outcomes.values()) {
    o.ms = Date.now() - start;
    if (o.status !== "failed" && o.filesWritten + o.containersChanged + o.steps > 0) o.status = "changed";
  }
  return [...outcomes.values()];
}

export type { ApplyEnv };
