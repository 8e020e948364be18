/**
 * What every verb that talks to hosts opens and closes the same way: the run log, the transport pool
 * (one SSH connection per host, opened on first use), the --forks queue and the progress display.
 */
import { limiter, type Limiter } from "../limit.js";
import type { Progress } from "../apply/progress.js";
import { terminalProgress } from "./progress.js";
import { TransportPool } from "../exec/index.js";
import { hostVars } from "../inventory/index.js";
import type { Inventory } from "../inventory/types.js";
import { openRunLog, type RunLog } from "../log.js";
import { commonOptions, transportOptions, type CommonOptions } from "./common.js";

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

export async function withRun<T>(verb: string, raw: Record<string, unknown>, targets: RunTargets, work: (run: Run) => Promise<T>): Promise<T> {
  const common = commonOptions(raw);
  const started = Date.now();
  const { log, path } = openRunLog(verb);
  log.info({ verb, ...targets.logFields }, "run start");
  const hosts = [...new Set(targets.poolHosts)];
  const pool = new TransportPool(hosts.map((name) => ({ name, vars: hostVars(targets.inventory, name) })), transportOptions(raw));
  const forks = limiter(typeof raw.forks === "number" ? raw.forks : 100);
  const progress = terminalProgress(log, common.json);
  try {
    return await work({ common, log, logPath: path, pool, forks, progress, started });
  } finally {
    log.info({ stats: pool.stats }, "run end");
    await pool.closeAll();
  }
}
