/**
 * withHostLocks: the one way a changing verb holds the deploy lock. It takes the lock on every
 * host (acquire.ts), refreshes a heartbeat while `fn` runs, and on the way out — success, failure,
 * SIGINT or SIGTERM — appends each host's history line and releases its lock in one exec per host.
 */
import { DeployError } from "../errors.js";
import type { Command, CommandResult } from "../exec/types.js";
import { acquireAll, type AcquireResult, type HostSource } from "./acquire.js";
import { historyEntry, historyLine, type EntryFacts } from "./history.js";
import { localHostName, ownHolder, processAlive, type RunIdentity } from "./process.js";
import { heartbeatCommand, parseHeartbeat, parseRelease, releaseCommand } from "./scripts.js";
import { dieOf, guardSignals, inertGuard, Interrupted, type SignalGuard } from "./signals.js";
import type { LockHolder } from "./types.js";
import { noChanges } from "./types.js";

export interface LockOptions {
  /** how long to wait for other runs' locks (0: refuse at once) */
  readonly waitSec?: number;
  /** a lock whose heartbeat is older than this is stale (holder on another deployment host) */
  readonly staleAfterSec?: number;
  readonly heartbeatSec?: number;
  readonly pollSec?: number;
  /** warnings and waits, for the progress output */
  readonly notify?: (message: string) => void;
  /** release on SIGINT/SIGTERM, then die of the same signal (default true; signals.ts) */
  readonly handleSignals?: boolean;
  /** state directory on the hosts (tests) */
  readonly dir?: string;
  /** a read-only query run in the acquire exec once a host's lock is taken (session.queried) */
  readonly query?: (host: string) => Command;
}

export const LOCK_DEFAULTS = { waitSec: 0, staleAfterSec: 300, heartbeatSec: 15, pollSec: 2 } as const;

export interface LockSession {
  readonly holder: LockHolder;
  /** the hosts this run holds, in the order asked for: the only ones it may change */
  readonly hosts: readonly string[];
  /** hosts where the lock could not be taken (unreachable, ...): the run must leave them alone */
  readonly failed: ReadonlyMap<string, DeployError>;
  /** what the run did on a host, appended to its history when the lock is released */
  record(host: string, facts: Omit<EntryFacts, "host">): void;
  /** opts.query's result per host, read while holding its lock; hosts missing here must be read anew */
  readonly queried: ReadonlyMap<string, CommandResult>;
}

interface Held {
  readonly pool: HostSource;
  readonly holder: LockHolder;
  readonly hosts: readonly string[];
  readonly facts: Map<string, Omit<EntryFacts, "host">>;
  readonly secrets: readonly string[];
  readonly opts: LockOptions;
  released?: Promise<void>;
}

function errorCode(error: unknown): string {
  return error instanceof DeployError ? error.code : "E_INTERNAL";
}

/** Appends every host's history line and releases its lock, once, whichever way the run ends. */
function releaseAll(held: Held, ending: { result: "failed" | "interrupted"; code: string } | undefined): Promise<void> {
  held.released ??= (async () => {
    const end = Date.now();
    await Promise.all(
      held.hosts.map(async (host) => {
        const recorded = held.facts.get(host);
        const facts = ending === undefined ? (recorded ?? { result: "ok" as const, changes: noChanges() })
          : { changes: recorded?.changes ?? noChanges(), result: recorded?.result === "failed" ? "failed" as const : ending.result, error: recorded?.error ?? ending.code };
        const line = historyLine(historyEntry(held.holder, { host, ...facts }, end), held.secrets);
        try {
          const outcome = parseRelease(await held.pool.get(host).run(releaseCommand(held.holder.token, line, held.opts.dir)));
          if (outcome === "notours") held.opts.notify?.(`warning: ${host}: our lock was no longer there at release (taken over as stale?)`);
        } catch (error) {
          held.opts.notify?.(`warning: ${host}: could not release the lock (${(error as Error).message}); it goes stale, or run: kolla-deploy lock release -l ${host}`);
        }
      }),
    );
  })();
  return held.released;
}

/** Touches every held lock every heartbeatSec; warns once per host whose lock is gone. */
function startHeartbeat(held: Held): () => void {
  const lost = new Set<string>();
  let busy = false;
  const beat = async () => {
    if (busy) return;
    busy = true;
    await Promise.all(
      held.hosts.map(async (host) => {
        try {
          if (parseHeartbeat(await held.pool.get(host).run(heartbeatCommand(held.holder.token, held.opts.dir))) === "lost" && !lost.has(host)) {
            lost.add(host);
            held.opts.notify?.(`warning: ${host}: our lock is gone (released or taken over by another run)`);
          }
        } catch {
          // An unreachable host fails the run's own commands too; the lock just ages.
        }
      }),
    );
    busy = false;
  };
  const timer = setInterval(() => void beat(), (held.opts.heartbeatSec ?? LOCK_DEFAULTS.heartbeatSec) * 1000);
  timer.unref();
  return () => clearInterval(timer);
}

/** acquireAll with this process's identity; a signal during it ends the process here. */
async function takeLocks(pool: HostSource, hosts: readonly string[], run: RunIdentity, opts: LockOptions, guard: SignalGuard): Promise<AcquireResult> {
  try {
    return await acquireAll(pool, hosts, ownHolder(run), {
      waitSec: opts.waitSec ?? LOCK_DEFAULTS.waitSec,
      pollSec: opts.pollSec ?? LOCK_DEFAULTS.pollSec,
      staleAfterSec: opts.staleAfterSec ?? LOCK_DEFAULTS.staleAfterSec,
      localHost: localHostName(),
      isAlive: processAlive,
      notify: opts.notify ?? (() => undefined),
      guard,
      ...(opts.dir === undefined ? {} : { dir: opts.dir }),
      ...(opts.query === undefined ? {} : { query: opts.query }),
    });
  } catch (error) {
    guard.dispose();
    if (error instanceof Interrupted) dieOf(error.signal);
    throw error;
  }
}

/**
 * Runs `fn` while holding the deploy lock on `hosts`. Refuses (LockHeld) when a live run holds
 * any of them after `waitSec`; hosts that cannot be reached are left out (session.failed).
 */
export async function withHostLocks<T>(
  pool: HostSource,
  hosts: readonly string[],
  run: RunIdentity,
  fn: (session: LockSession) => Promise<T>,
  opts: LockOptions = {},
): Promise<T> {
  const guard = opts.handleSignals === false ? inertGuard() : guardSignals(opts.notify ?? (() => undefined));
  const { locked, failed, holder, queried } = await takeLocks(pool, hosts, run, opts, guard);
  const held: Held = { pool, holder, hosts: locked, facts: new Map(), secrets: run.secrets, opts };
  const stopHeartbeat = startHeartbeat(held);
  guard.release = () => (stopHeartbeat(), releaseAll(held, { result: "interrupted", code: "E_INTERRUPTED" }));
  if (guard.pending !== undefined) {
    // The signal came while the last attempt was in flight: give back what it took, then die.
    const signal = guard.pending;
    opts.notify?.(`${signal}: releasing the locks`);
    await guard.release();
    guard.dispose();
    dieOf(signal);
    throw new Interrupted(signal);
  }
  const session: LockSession = { holder, hosts: locked, failed, record: (host, facts) => void held.facts.set(host, facts), queried };
  try {
    const value = await fn(session);
    stopHeartbeat();
    await releaseAll(held, undefined);
    return value;
  } catch (error) {
    stopHeartbeat();
    await releaseAll(held, { result: "failed", code: errorCode(error) });
    throw error;
  } finally {
    guard.dispose();
  }
}
