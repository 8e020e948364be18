/**
 * `stop`: stops the enabled containers of the selected roles on the selected hosts (kolla's
 * service-stop). Containers named in `skip_stop_containers` are left running; a container that
 * does not exist fails its host unless --ignore-missing (kolla_action_stop_ignore_missing).
 */
import type { Prepared } from "../apply/prepare.js";
import type { Progress } from "../apply/progress.js";
import { inspectContainers, stopContainer } from "../engine/ops.js";
import type { ContainerState } from "../engine/types.js";
import { DeployError } from "../errors.js";
import type { TransportPool } from "../exec/pool.js";
import { mapLimited, type Limiter } from "../limit.js";
import { asDeployError, hostRunner, onEveryHost, type HostResult } from "../apply/fanout.js";
import { enabledServices, stringList } from "./check-targets.js";

/** Stops at once on one host (each waits up to docker_graceful_timeout). */
const STOPS_PER_HOST = 4;

export interface StopPlan {
  /** containers to stop, in site order */
  readonly stop: readonly string[];
  /** already stopped (exited, created, dead): nothing to do */
  readonly alreadyStopped: readonly string[];
  /** in skip_stop_containers */
  readonly skipped: readonly string[];
  readonly missing: readonly string[];
}

export interface HostStop extends StopPlan {
  readonly stopped: readonly string[];
  readonly errors: readonly DeployError[];
}

/** Engine states in which a container holds processes that `stop` would end. */
const ACTIVE = new Set(["running", "restarting", "paused"]);

/** What stopping means on one host, from the enabled names, the skip list and the inspect result (pure). */
export function planStop(names: readonly string[], skip: readonly string[], states: ReadonlyMap<string, ContainerState>): StopPlan {
  const wanted = names.filter((n) => !skip.includes(n));
  return {
    stop: wanted.filter((n) => ACTIVE.has(states.get(n)?.status ?? "")),
    alreadyStopped: wanted.filter((n) => states.has(n) && !ACTIVE.has(states.get(n)!.status)),
    skipped: names.filter((n) => skip.includes(n)),
    missing: wanted.filter((n) => !states.has(n)),
  };
}

export interface StopEnv {
  readonly p: Prepared;
  readonly pool: TransportPool;
  readonly forks: Limiter;
  readonly progress: Progress;
  readonly ignoreMissing: boolean;
}

export function stopHosts(env: StopEnv): Promise<HostResult<HostStop>[]> {
  const skips = new Map(env.p.hosts.map((h) => [h, stringList(env.p, h, "skip_stop_containers")]));
  return onEveryHost(env.p.hosts, env.forks, (host) => stopOnHost(env, host, skips.get(host)!));
}

async function stopOnHost(env: StopEnv, host: string, skip: readonly string[]): Promise<HostStop> {
  const { p } = env;
  const names = enabledServices(p, p.roles, host).map((s) => s.service.containerName);
  if (names.length === 0) return { stop: [], alreadyStopped: [], skipped: [], missing: [], stopped: [], errors: [] };
  const run = hostRunner(env.pool, host, p.secrets);
  const plan = planStop(names, skip, await inspectContainers(run, p.driver, names));
  const graceSec = Number(p.config.varsFor(host)["docker_graceful_timeout"] ?? 60);
  const stopped: string[] = [];
  const errors: DeployError[] = [];
  await mapLimited(plan.stop, STOPS_PER_HOST, async (name) => {
    const started = Date.now();
    env.progress.step(host, `stop ${name}`);
    try {
      await stopContainer(run, p.driver, name, graceSec);
      stopped.push(name);
      env.progress.done(host, `stop ${name}`, Date.now() - started);
    } catch (error) {
      const e = asDeployError(error, host);
      errors.push(e);
      env.progress.failed(host, `stop ${name}`, e.oneLine());
    }
  });
  if (plan.missing.length > 0 && !env.ignoreMissing) errors.push(missingError(host, plan.missing));
  return { ...plan, stopped: plan.stop.filter((n) => stopped.includes(n)), errors };
}

function missingError(host: string, missing: readonly string[]): DeployError {
  return new DeployError(
    "E_STOP_MISSING",
    `no such container(s) to stop: ${missing.join(", ")}`,
    "they are enabled for this host but were never deployed (or were removed); pass --ignore-missing to skip them",
    { host },
  );
}
