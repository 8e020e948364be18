/**
 * `check`: is every enabled container on its hosts present, running and not unhealthy (kolla's
 * service-check)? One exec per host; the verdicts are computed locally.
 */
import type { Limiter } from "../limit.js";
import type { Prepared } from "../apply/prepare.js";
import type { ContainerEngineDriver } from "../engine/driver.js";
import { inspectContainers, type CommandRunner } from "../engine/ops.js";
import type { ContainerState } from "../engine/types.js";
import { composeQueries } from "../exec/compose.js";
import type { TransportPool } from "../exec/pool.js";
import { hostRunner, onEveryHost, type HostResult } from "../apply/fanout.js";
import { enabledServices } from "./check-targets.js";

/** "starting" is not a failure: kolla's check fails only on an unhealthy status. */
export type ContainerCondition = "healthy" | "running" | "starting" | "missing" | "not running" | "unhealthy";

export interface ContainerCheck {
  readonly container: string;
  readonly role: string;
  readonly condition: ContainerCondition;
  readonly ok: boolean;
  /** what is wrong, or how it is fine */
  readonly detail: string;
}

/** The last non-empty line of a health probe's output, shortened for a table cell. */
export function lastLine(text: string | undefined, max = 160): string {
  const line = (text ?? "").split("\n").map((l) => l.trim()).filter((l) => l !== "").pop() ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The verdict on one container from its inspect state (undefined: it does not exist). */
export function assessContainer(container: string, role: string, state: ContainerState | undefined): ContainerCheck {
  const verdict = (condition: ContainerCondition, ok: boolean, detail: string): ContainerCheck => ({ container, role, condition, ok, detail });
  if (state === undefined) return verdict("missing", false, "container does not exist");
  if (state.status !== "running") return verdict("not running", false, `${state.status}, exit code ${state.exitCode}`);
  if (state.health === "unhealthy") {
    const said = lastLine(state.healthLog);
    return verdict("unhealthy", false, said === "" ? "healthcheck failing" : `last healthcheck said: ${said}`);
  }
  if (state.health === "starting") return verdict("starting", true, "running, first healthcheck pending");
  if (state.health === "healthy") return verdict("healthy", true, "running, healthy");
  return verdict("running", true, "running (no healthcheck)");
}

/**
 * The containers' states in one exec. Where the engine schedules no healthchecks itself (podman
 * without systemd) the probes run first, in the same exec, so the health reported is current.
 */
export async function inspectForCheck(run: CommandRunner, driver: ContainerEngineDriver, names: readonly string[]): Promise<Map<string, ContainerState>> {
  const probes = names.map((n) => driver.healthProbe(n)).filter((c) => c !== undefined);
  if (probes.length === 0) return inspectContainers(run, driver, names);
  const composed = composeQueries([...probes, driver.inspectContainers(names)].map((c) => ({ ...c, become: true })));
  const parts = composed.split(await run(composed.command));
  return inspectContainers(async () => parts[parts.length - 1]!, driver, names);
}

/** Checks every selected host; a host that cannot be reached is a failed result, not an exception. */
export function checkHosts(p: Prepared, pool: TransportPool, forks: Limiter): Promise<HostResult<ContainerCheck[]>[]> {
  return onEveryHost(p.hosts, forks, async (host) => {
    const services = enabledServices(p, p.roles, host);
    if (services.length === 0) return [];
    const names = services.map((s) => s.service.containerName);
    const states = await inspectForCheck(hostRunner(pool, host, p.secrets), p.driver, names);
    return services.map((s) => assessContainer(s.service.containerName, s.role.name, states.get(s.service.containerName)));
  });
}
