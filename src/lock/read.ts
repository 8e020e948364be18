/**
 * The operator's side: reading every host's lock and history (one exec per host, all at once),
 * and releasing a lock someone else left behind, only if it is still the one the operator saw.
 */
import { DeployError } from "../errors.js";
import type { HostSource } from "./acquire.js";
import { historyEntry, historyLine, parseHistory } from "./history.js";
import { ownHolder } from "./process.js";
import { historyCommand, parseHistoryLines, parseRelease, parseStatus, releaseCommand, statusCommand } from "./scripts.js";
import type { HistoryEntry, LockObservation } from "./types.js";
import { noChanges } from "./types.js";

function asError(error: unknown, host: string, what: string): DeployError {
  if (error instanceof DeployError) return error;
  return new DeployError("E_LOCK_IO", `${what}: ${(error as Error).message}`, "check /var/lib/kolla-deploy on that host", { host, cause: error });
}

async function eachHost<T>(hosts: readonly string[], fn: (host: string) => Promise<T>, what: string): Promise<Map<string, T | DeployError>> {
  const results = await Promise.all(hosts.map((h) => fn(h).catch((e: unknown) => asError(e, h, what))));
  return new Map(hosts.map((h, i) => [h, results[i]!]));
}

export function readLocks(pool: HostSource, hosts: readonly string[], dir?: string): Promise<Map<string, LockObservation | DeployError>> {
  return eachHost(hosts, async (h) => parseStatus(await pool.get(h).run(statusCommand(dir))), "reading the lock");
}

export interface HostHistory {
  readonly entries: HistoryEntry[];
  readonly unreadable: number;
}

export function readHistories(pool: HostSource, hosts: readonly string[], last: number, dir?: string): Promise<Map<string, HostHistory | DeployError>> {
  return eachHost(hosts, async (h) => parseHistory(h, parseHistoryLines(await pool.get(h).run(historyCommand(last, dir)))), "reading the history");
}

export interface ReleaseRequest {
  readonly host: string;
  readonly seen: Extract<LockObservation, { state: "held" }>;
  /** the releasing command line, for the history line that records the release */
  readonly argv: readonly string[];
  readonly secrets: readonly string[];
}

/**
 * Removes the lock the operator was shown (same token; "*" for an unreadable file) and records
 * the release in the host's history. "notours" when a different lock is there by now.
 */
export async function releaseSeen(pool: HostSource, req: ReleaseRequest, dir?: string): Promise<"released" | "notours"> {
  const me = ownHolder({ verb: "lock release", argv: req.argv, secrets: req.secrets });
  const h = req.seen.holder;
  const what = h === undefined ? "an unreadable lock" : `the lock of ${h.user}@${h.host} pid ${h.pid} (${h.verb})`;
  const entry = { ...historyEntry(me, { host: req.host, result: "ok", changes: { ...noChanges(), steps: [`released ${what}`] } }, Date.now()), durationMs: 0 };
  const token = req.seen.holder?.token ?? "*";
  return parseRelease(await pool.get(req.host).run(releaseCommand(token, historyLine(entry, req.secrets), dir)));
}
