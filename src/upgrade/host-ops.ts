/**
 * The host-side operations upgrade and rollback share: run commands as root with secrets
 * redacted, write a host's record, pull images, recreate containers and hold them to the health
 * gate. Container changes go through apply/containers.ts, like deploy's.
 */
import type { Limiter } from "../limit.js";
import { DeployError } from "../errors.js";
import { pullImage, waitUntilHealthy, type CommandRunner } from "../engine/ops.js";
import type { TransportPool } from "../exec/pool.js";
import { asDeployError, hostRunner as runnerOf, isFailure, onEveryHost, tracked } from "../apply/fanout.js";
import { runPlanned } from "../apply/run-commands.js";
import { containerOptionsOf } from "../plan/steps/containers.js";
import type { PlanResult } from "../apply/planner.js";
import type { Prepared } from "../apply/prepare.js";
import type { Progress } from "../apply/progress.js";
import { serializeRecord, STATE_FILE, type HostRecord } from "../plan/record.js";
import type { ContainerChange } from "../plan/types.js";
import type { ContainerResult, RollingSettings } from "./types.js";

export interface HostsEnv {
  readonly p: Prepared;
  readonly pool: TransportPool;
  readonly forks: Limiter;
  readonly progress: Progress;
}

export interface RunEnv extends HostsEnv {
  readonly settings: RollingSettings;
  readonly result: PlanResult;
  /** each host's record as this run has changed it so far */
  readonly records: Map<string, HostRecord>;
}

export { asDeployError };

export function hostRunner(env: HostsEnv, host: string): CommandRunner {
  return runnerOf(env.pool, host, env.p.secrets);
}

/** Runs one piece of a host's work with progress lines; errors are rethrown as DeployErrors. */
export function step<T>(env: HostsEnv, host: string, what: string, fn: () => Promise<T>): Promise<T> {
  return tracked(env.progress, env.p.secrets, host, what, fn);
}

export async function saveRecord(env: RunEnv, host: string): Promise<void> {
  const record = env.records.get(host);
  if (record === undefined) return;
  await env.pool.get(host).putFiles([{ path: STATE_FILE, content: serializeRecord(record), mode: 0o600, owner: "root", group: "root" }], { become: true });
}

export function containerOptions(env: HostsEnv, host: string): ReturnType<typeof containerOptionsOf> {
  return containerOptionsOf(env.p.config.varsFor(host));
}

/** Pulls every listed image on every host (hosts at once, images one by one); failures by host. */
export async function pullAll(env: HostsEnv, images: ReadonlyMap<string, readonly string[]>): Promise<Map<string, DeployError>> {
  const hosts = [...images].filter(([, refs]) => refs.length > 0).map(([host]) => host);
  const results = await onEveryHost(hosts, env.forks, async (host) => {
    const refs = images.get(host)!;
    const run = hostRunner(env, host);
    const { insecureRegistry } = containerOptions(env, host);
    await step(env, host, `pull ${refs.length} image(s)`, async () => {
      for (const ref of refs) await pullImage(run, env.p.driver, ref, { insecureRegistry, attempts: 3 });
    });
  });
  return new Map(results.filter(isFailure).map((r) => [r.host, r.error]));
}

/**
 * Applies the container changes one by one, then waits until every changed container is healthy
 * (kolla's healthcheck; a container without one counts once it runs). `results` gets each
 * container's start and healthy times; the first failure is thrown after all waits end.
 */
export async function recreateAndGate(env: RunEnv, host: string, changes: readonly ContainerChange[], results: readonly ContainerResult[]): Promise<void> {
  const run = hostRunner(env, host);
  const resultOf = (name: string) => results.find((r) => r.container === name)!;
  for (const change of changes) {
    await step(env, host, `${change.action} ${change.container} (${change.spec.image})`, () => runPlanned(run, change.commands));
    resultOf(change.container).startedAt = new Date().toISOString();
  }
  const waits = changes.map((change) =>
    step(env, host, `health gate ${change.container}`, async () => {
      await waitUntilHealthy(run, env.p.driver, change.container, { timeoutMs: env.settings.healthTimeoutMs });
      resultOf(change.container).healthyAt = new Date().toISOString();
    }),
  );
  const settled = await Promise.allSettled(waits);
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failure !== undefined) throw asDeployError(failure.reason, host);
}
