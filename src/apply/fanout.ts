/**
 * The one fan-out over hosts, and the one mapping of a thrown error to a host's DeployError.
 * Every verb that works on many hosts (apply, upgrade, lifecycle, bootstrap-servers, prechecks)
 * goes through here: hosts work at once up to --forks, and a host that fails never stops the others.
 */
import type { CommandRunner } from "../command.js";
import { DeployError } from "../errors.js";
import type { Limiter } from "../limit.js";
import { redactSecrets } from "../redact.js";
import type { Progress } from "./progress.js";

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

/** An operator-facing error stays as it is; anything else is a bug, reported as E_INTERNAL on that host. */
export function asDeployError(error: unknown, host?: string): DeployError {
  if (error instanceof DeployError) return error;
  const message = (error as Error | undefined)?.message ?? String(error);
  return new DeployError("E_INTERNAL", message, "this is a bug; see the run log", { ...(host === undefined ? {} : { host }), cause: error });
}

/** Runs `work` for every host at once (at most `forks` in flight); results in the hosts' order. */
export async function onEveryHost<T>(hosts: readonly string[], forks: Limiter, work: (host: string) => Promise<T>): Promise<HostResult<T>[]> {
  return Promise.all(
    hosts.map((host) =>
      forks.add(async (): Promise<HostResult<T>> => {
        try {
          return { host, value: await work(host) };
        } catch (error) {
          return { host, error: asDeployError(error, host) };
        }
      }),
    ),
  );
}

/** Something that runs a Command on a host: a TransportPool, or a test's fake. */
export interface HostTransports {
  get(host: string): { run: CommandRunner };
}

/** Engine commands need root; every output and error is redacted of the run's secrets. */
export function hostRunner(pool: HostTransports, host: string, secrets: readonly string[]): CommandRunner {
  return (cmd) => pool.get(host).run({ ...cmd, become: true, secrets: [...(cmd.secrets ?? []), ...secrets] });
}

/** One piece of a host's work between progress lines; a failure is reported (redacted) and rethrown as a DeployError. */
export async function tracked<T>(progress: Progress, secrets: readonly string[], host: string, what: string, fn: () => Promise<T>): Promise<T> {
  const start = Date.now();
  progress.step(host, what);
  try {
    const value = await fn();
    progress.done(host, what, Date.now() - start);
    return value;
  } catch (error) {
    const failure = asDeployError(error, host);
    progress.failed(host, what, redactSecrets(failure.oneLine(), secrets));
    throw failure;
  }
}
