/**
 * Taking the lock on a set of hosts: one exec per host, all hosts at once. All or nothing: when
 * any reachable host is held by a live run, the hosts taken in this attempt are let go again (so
 * two runs each holding part of a fleet cannot block each other), and the attempt is repeated
 * until --lock-wait runs out. Stale locks are taken over, with a warning. A caller's read-only
 * query (the plan's gather) can ride in the acquire exec, so taking the lock costs no round trip.
 */
import { DeployError } from "../errors.js";
import type { Command, CommandResult, Transport } from "../exec/types.js";
import { describeHolder, formatCommand, serializeHolder } from "./holder.js";
import { acquireWithQuery } from "./acquire-query.js";
import { acquireCommand, parseAcquire, parseStatus, parseTakeover, releaseCommand, statusCommand, takeoverCommand } from "./scripts.js";
import { judgeLock, type StaleContext } from "./stale.js";
import { Interrupted, type SignalGuard } from "./signals.js";
import type { LockHolder, LockObservation } from "./types.js";

export interface HostSource {
  get(host: string): Transport;
}

export interface AcquireSettings extends StaleContext {
  readonly waitSec: number;
  readonly pollSec: number;
  readonly dir?: string;
  readonly notify: (message: string) => void;
  /** tells the signal handler when an attempt is in flight; carries a signal that came meanwhile */
  readonly guard?: SignalGuard;
  /**
   * A read-only query to run in the same exec as taking the lock, only once it is taken (the
   * plan's gather): its result is returned for the hosts of the winning attempt.
   */
  readonly query?: (host: string) => Command;
}

/** A host whose lock a live run holds. */
export interface HeldBy {
  readonly host: string;
  readonly seen: Extract<LockObservation, { state: "held" }>;
}

export function describeHeld(h: HeldBy, nowMs: number): string {
  if (h.seen.holder !== undefined) return `locked by ${describeHolder(h.seen.holder, nowMs)}`;
  return `locked by something other than kolla-deploy (lock file: "${h.seen.raw.slice(0, 80)}")`;
}

/** A run refused because other runs hold some of its hosts: one line per host, then the hint. */
export class LockHeld extends DeployError {
  constructor(
    readonly held: readonly HeldBy[],
    readonly waitedSec: number,
  ) {
    const waited = waitedSec > 0 ? ` after waiting ${waitedSec}s` : "";
    super(
      "E_LOCK_HELD",
      `${held.length} host(s) locked by another run${waited}`,
      "wait for that run to finish or pass --lock-wait SECONDS; if it is gone, see `kolla-deploy lock status` and `kolla-deploy lock release`",
    );
  }

  override oneLine(): string {
    const now = Date.now();
    const lines = this.held.map((h) => `host ${h.host}: ${describeHeld(h, now)} [${this.code}]`);
    return [...lines, `${this.message} (hint: ${this.hint})`].join("\n");
  }
}

export interface AcquireResult {
  readonly locked: string[];
  readonly failed: Map<string, DeployError>;
  /** the holder as written: `since` is when the lock was taken, not when we began to wait */
  readonly holder: LockHolder;
  /** the query's result per host, read under the lock (hosts taken over as stale have none) */
  readonly queried: Map<string, CommandResult>;
}

/** skipped: only read (the gate was not ours) and not held by a live run */
type Attempt = { kind: "locked"; queried?: CommandResult } | { kind: "held"; held: HeldBy } | { kind: "retry" } | { kind: "skipped" } | { kind: "failed"; error: DeployError };

function asHostError(error: unknown, host: string): DeployError {
  if (error instanceof DeployError) return error;
  return new DeployError("E_LOCK_IO", `could not take the lock: ${(error as Error).message}`, "check /var/lib/kolla-deploy on that host (disk full? read-only?)", { host, cause: error });
}

async function takeOver(t: Transport, seen: HeldBy["seen"], line: string, why: string, s: AcquireSettings): Promise<Attempt> {
  const outcome = parseTakeover(await t.run(takeoverCommand({ token: seen.holder?.token, mtime: seen.mtime }, line, s.dir)));
  if (outcome !== "acquired") return { kind: "retry" };
  const who = seen.holder === undefined ? "an unreadable lock" : `the lock of ${seen.holder.user}@${seen.holder.host} (pid ${seen.holder.pid}, "${formatCommand(seen.holder.command)}")`;
  s.notify(`warning: ${t.host}: took over ${who}: it was stale, ${why}`);
  return { kind: "locked" };
}

/** The acquire exec, with the query composed in when there is one. */
async function acquireOnce(t: Transport, line: string, s: AcquireSettings): Promise<{ acquire: CommandResult; query?: CommandResult }> {
  const acquire = acquireCommand(line, s.dir);
  if (s.query === undefined) return { acquire: await t.run(acquire) };
  const composed = acquireWithQuery(acquire, s.query(t.host));
  return composed.split(await t.run(composed.command));
}

async function attemptHost(t: Transport, line: string, s: AcquireSettings): Promise<Attempt> {
  try {
    const once = await acquireOnce(t, line, s);
    const first = parseAcquire(once.acquire);
    if (first.acquired) return once.query === undefined ? { kind: "locked" } : { kind: "locked", queried: once.query };
    const seen = first.seen;
    if (seen.state === "free") return { kind: "retry" }; // released between our link and our read
    const verdict = judgeLock(seen, s);
    if (verdict.kind === "stale") return await takeOver(t, seen, line, verdict.why, s);
    return { kind: "held", held: { host: t.host, seen } };
  } catch (error) {
    return { kind: "failed", error: asHostError(error, t.host) };
  }
}

/** Only reads a host's lock, for the report: taking it could make the gate's holder give up. */
async function peekHost(t: Transport, s: AcquireSettings): Promise<Attempt> {
  try {
    const seen = parseStatus(await t.run(statusCommand(s.dir)));
    if (seen.state === "held" && judgeLock(seen, s).kind === "held") return { kind: "held", held: { host: t.host, seen } };
    return { kind: "skipped" };
  } catch (error) {
    return { kind: "failed", error: asHostError(error, t.host) };
  }
}

/**
 * One attempt over every host. The first host (in name order) that answers is the gate: a run
 * that takes it goes on to take the others at once; a run that finds it held only reads the
 * others. So two runs started together over the same hosts never each take a part and both give up.
 */
async function attemptAll(pool: HostSource, todo: readonly string[], line: string, s: AcquireSettings): Promise<Attempt[]> {
  const order = [...todo].sort();
  const transports = new Map(order.map((h) => [h, pool.get(h)] as const));
  // Every host is read or taken after the gate: open their connections while the gate's exec runs.
  for (const host of order.slice(1)) transports.get(host)!.warm?.();
  const results = new Map<string, Attempt>();
  let gate: Attempt | undefined;
  for (const host of order) {
    gate = await attemptHost(transports.get(host)!, line, s);
    results.set(host, gate);
    if (gate.kind !== "failed") break;
  }
  const rest = order.filter((h) => !results.has(h));
  const others = await Promise.all(rest.map((h) => (gate?.kind === "locked" ? attemptHost(transports.get(h)!, line, s) : peekHost(transports.get(h)!, s))));
  rest.forEach((h, i) => results.set(h, others[i]!));
  return todo.map((h) => results.get(h)!);
}

function queriedOf(todo: readonly string[], attempts: readonly Attempt[]): Map<string, CommandResult> {
  const queried = new Map<string, CommandResult>();
  attempts.forEach((a, i) => {
    if (a.kind === "locked" && a.queried !== undefined) queried.set(todo[i]!, a.queried);
  });
  return queried;
}

/** Lets go of the hosts taken in a failed attempt (best effort: a leftover is ours and goes stale). */
async function letGo(pool: HostSource, hosts: readonly string[], token: string, dir: string | undefined): Promise<void> {
  await Promise.all(hosts.map((h) => pool.get(h).run(releaseCommand(token, "", dir)).catch(() => undefined)));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rounds in a row that only met locks changing hands, before giving up. */
const MAX_QUICK_RETRIES = 40;

/** Tries every host until all reachable ones are ours, or throws LockHeld when --lock-wait is over. */
export async function acquireAll(pool: HostSource, hosts: readonly string[], holder: LockHolder, s: AcquireSettings): Promise<AcquireResult> {
  const failed = new Map<string, DeployError>();
  const started = Date.now();
  const announced = new Set<string>();
  for (let quick = 0; ; quick++) {
    const stamped: LockHolder = { ...holder, since: new Date().toISOString() };
    const line = serializeHolder(stamped);
    const todo = hosts.filter((h) => !failed.has(h));
    if (s.guard !== undefined) s.guard.attempting = true;
    const attempts = await attemptAll(pool, todo, line, s);
    const locked = todo.filter((_h, i) => attempts[i]!.kind === "locked");
    const held: HeldBy[] = [];
    attempts.forEach((a, i) => {
      if (a.kind === "failed") failed.set(todo[i]!, a.error);
      if (a.kind === "held") held.push(a.held);
    });
    if (held.length === 0 && attempts.every((a) => a.kind !== "retry")) {
      if (s.guard !== undefined) s.guard.attempting = false;
      return { locked, failed, holder: stamped, queried: queriedOf(todo, attempts) };
    }
    await letGo(pool, locked, holder.token, s.dir);
    if (s.guard !== undefined) s.guard.attempting = false;
    if (s.guard?.pending !== undefined) throw new Interrupted(s.guard.pending);
    if (held.length === 0) {
      if (quick >= MAX_QUICK_RETRIES) throw new DeployError("E_LOCK_BUSY", "the lock kept changing hands while we tried to take it", "another run is starting or stopping right now; run again");
      await sleep(250);
      continue;
    }
    quick = 0;
    if (Date.now() - started >= s.waitSec * 1000) {
      const skipped = todo.filter((_h, i) => attempts[i]!.kind === "skipped");
      throw new LockHeld(await completeReport(pool, held, todo, skipped, s), s.waitSec > 0 ? Math.round((Date.now() - started) / 1000) : 0);
    }
    announce(held, announced, s);
    await sleep(s.pollSec * 1000 * (0.75 + Math.random() * 0.5));
  }
}

/** How long a refused run waits before it reads the free-looking hosts once more, for its report. */
const REPORT_SETTLE_MS = 750;

/**
 * The gate's holder takes the other hosts right after the gate, so a run refused at the gate may
 * have read them a moment too early. Read those once more so the refusal names every held host.
 */
async function completeReport(pool: HostSource, held: readonly HeldBy[], todo: readonly string[], skipped: readonly string[], s: AcquireSettings): Promise<HeldBy[]> {
  if (skipped.length === 0) return [...held];
  await sleep(REPORT_SETTLE_MS);
  const again = await Promise.all(skipped.map((h) => peekHost(pool.get(h), s)));
  const late = again.flatMap((a) => (a.kind === "held" ? [a.held] : []));
  const order = new Map([...held, ...late].map((h) => [h.host, h] as const));
  return todo.filter((h) => order.has(h)).map((h) => order.get(h)!);
}

/** Says once per host and holder that we wait for it. */
function announce(held: readonly HeldBy[], announced: Set<string>, s: AcquireSettings): void {
  for (const h of held) {
    const key = `${h.host} ${h.seen.holder?.token ?? h.seen.raw}`;
    if (announced.has(key)) continue;
    announced.add(key);
    s.notify(`${h.host}: ${describeHeld(h, Date.now())}; waiting up to ${s.waitSec}s (--lock-wait)`);
  }
}
