/**
 * Running one piece of work on every selected host at once (bounded by --forks), collecting each
 * host's result or error: a host that fails never stops the others.
 */
import type { CommandRunner } from "../engine/ops.js";
import { DeployError } from "../errors.js";
import type { TransportPool } from "../exec/pool.js";
import type { Limiter } from "../limit.js";

export interface HostSuccess<T> {
  readonly host: string;
  readonly value: T;
}

export interface HostFailure {
  readonly host: string;
  readonly error: DeployError;
}

/** A host's outcome: the work's value, or why it failed. */
export type HostResult<T> = HostSuccess<T> | HostFailure;

export function isFailure<T>(r: HostResult<T>): r is HostFailure {
  return "error" in r;
}

export function asDeployError(error: unknown, host: string): DeployError {
  if (error instanceof DeployError) return error;
  return new DeployError("E_INTERNAL", (error as Error)?.message ?? String(error), "this is a bug; see the run log", { host, cause: error });
}

/** Engine commands need root; every output and error is redacted of the run's secrets. */
export function hostRunner(pool: TransportPool, host: string, secrets: readonly string[]): CommandRunner {
  return (cmd) => pool.get(host).run({ ...cmd, become: true, secrets: [...(cmd.secrets ?? []), ...secrets] });
}

/** Runs `work` for every host in parallel (at most `forks` at once); results in the hosts' order. */
export async function onEveryHost<T>(hosts: readonly string[], forks: Limiter, work: (host: string) => Promise<T>): Promise<HostResult<T>[]> {
  const results = new Map<string, HostResult<T>>();
  await Promise.all(
    hosts.map((host) =>
      forks.add(async () => {
        try {
          results.set(host, { host, value: await work(host) });
        } catch (error) {
          results.set(host, { host, error: asDeployError(error, host) });
        }
      }),
    ),
  );
  return hosts.map((h) => results.get(h)!);
}
