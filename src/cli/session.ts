/**
 * The CLI session kit: what every verb that talks to hosts opens and closes the same way. withRun
 * opens the run log, the transport pool (one SSH connection per host, opened on first use), the
 * --forks limiter and the progress display; runSession adds the prepared inputs and, for a verb
 * that changes hosts, the deploy locks; and the small helpers the verbs' reports share.
 */
import type { Progress } from "../apply/progress.js";
import { prepare, type Prepared } from "../apply/prepare.js";
import { DeployError, ExitCode } from "../errors.js";
import { TransportPool, type TransportPoolOptions } from "../exec/index.js";
import { hostVars, loadInventory, selectHosts } from "../inventory/index.js";
import type { Inventory } from "../inventory/types.js";
import { isFailure, type HostResult } from "../apply/fanout.js";
import { limiter, type Limiter } from "../limit.js";
import { withHostLocks, type RunIdentity } from "../lock/index.js";
import { openRunLog, type RunLog } from "../log.js";
import type { CommonOptions } from "../options.js";
import { redactSecrets } from "../redact.js";
import { lockOptions, type LockFlags, type RunOptions } from "./common.js";
import { terminalProgress } from "./progress.js";

export interface Run {
  readonly common: CommonOptions;
  readonly log: RunLog;
  readonly logPath: string;
  readonly pool: TransportPool;
  readonly forks: Limiter;
  readonly progress: Progress;
  readonly started: number;
}

export interface RunTargets {
  readonly inventory: Inventory;
  /** Hosts the pool may connect to. */
  readonly poolHosts: readonly string[];
  /** Recorded in the log's "run start" line. */
  readonly logFields?: Record<string, unknown>;
}

export async function withRun<T>(verb: string, opts: RunOptions, targets: RunTargets, work: (run: Run) => Promise<T>): Promise<T> {
  const started = Date.now();
  const { log, path } = openRunLog(verb);
  log.info({ verb, ...targets.logFields }, "run start");
  const pool = openPool(targets.inventory, [...new Set(targets.poolHosts)], opts.transport);
  const progress = terminalProgress(log, opts.common.json);
  try {
    return await work({ common: opts.common, log, logPath: path, pool, forks: limiter(opts.forks), progress, started });
  } finally {
    log.info({ stats: pool.stats }, "run end");
    await pool.closeAll();
  }
}

/** The pool's hosts: the hosts in play plus every host whose facts the templates may need. */
export function poolHostsOf(p: Prepared): string[] {
  return [...p.hosts, ...p.factHosts];
}

/** A prepared run's targets: the pool's hosts, and the hosts and roles for the log. */
export function preparedTargets(p: Prepared): RunTargets {
  return { inventory: p.inventory, poolHosts: poolHostsOf(p), logFields: { hosts: p.hosts, roles: p.roles.map((r) => r.name) } };
}

/** Who this run is, for the lock and the history: the verb and this process's command line (redacted there). */
export function runIdentity(verb: string, secrets: readonly string[]): RunIdentity {
  return { verb, argv: ["kolla-deploy", ...process.argv.slice(2)], secrets };
}

/** The hosts -i and -l select, for the verbs that read no roles or variables (shell, history, lock). */
export function selectedHosts(common: CommonOptions): { inventory: Inventory; hosts: string[] } {
  const inventory = loadInventory(common.inventory);
  const hosts = selectHosts(inventory, common.limit ?? "all");
  if (hosts.length === 0) throw new DeployError("E_NO_HOSTS", `no hosts match "${common.limit ?? "all"}"`, "check --limit and the inventory");
  return { inventory, hosts };
}

/** A pool that may connect to `hosts`, with each host's inventory variables; the caller closes it. */
export function openPool(inventory: Inventory, hosts: readonly string[], transport: TransportPoolOptions): TransportPool {
  return new TransportPool(hosts.map((name) => ({ name, vars: hostVars(inventory, name) })), transport);
}

export interface Session {
  readonly common: CommonOptions;
  readonly p: Prepared;
  readonly pool: TransportPool;
  readonly forks: Limiter;
  readonly progress: Progress;
  readonly started: number;
  /** prints to stdout with the run's secrets removed */
  print(text: string): void;
}

/**
 * Validates every input (nothing touched yet), opens the run log and the pool, runs `work`, closes.
 * A verb that changes hosts passes its lock flags: it works only on the hosts whose deploy lock it
 * holds; hosts it could not lock are reported and make the exit code non-zero.
 */
export async function runSession(verb: string, opts: RunOptions, work: (s: Session) => Promise<number>, locking?: LockFlags): Promise<number> {
  const p = prepare(opts.common);
  return withRun(verb, opts, preparedTargets(p), async (run) => {
    const session: Session = { ...run, p, print: (text) => process.stdout.write(redactSecrets(text, p.secrets)) };
    try {
      if (locking === undefined) return await work(session);
      return await withHostLocks(run.pool, p.hosts, runIdentity(verb, p.secrets), async (locks) => {
        for (const [host, error] of locks.failed) session.progress.failed(host, "lock", error.oneLine());
        const code = await work({ ...session, p: { ...p, hosts: locks.hosts } });
        return locks.failed.size > 0 && code === ExitCode.ok ? ExitCode.failure : code;
      }, lockOptions(locking, (m) => session.progress.note(m)));
    } finally {
      process.stderr.write(`run log: ${run.logPath}\n`);
    }
  });
}

/** How long the run has taken so far, for a summary line. */
export function seconds(s: { readonly started: number }): string {
  return `${((Date.now() - s.started) / 1000).toFixed(1)}s`;
}

/** A host's error for --json. */
export function errorJson(e: DeployError): { code: string; message: string } {
  return { code: e.code, message: e.oneLine() };
}

/** Exit status of a lifecycle verb: 1 when any host failed or reported a problem. */
export function exitFor<T>(results: readonly HostResult<T>[], problem: (value: T) => boolean = () => false): number {
  return results.some((r) => isFailure(r) || problem(r.value)) ? ExitCode.failure : ExitCode.ok;
}
