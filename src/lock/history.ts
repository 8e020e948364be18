/**
 * The per-host run history, pure parts: one JSON line per host and run (what the run changed there
 * comes from cli/host-changes.ts), and reading lines back merged across hosts.
 */
import { redactSecrets } from "../redact.js";
import type { HistoryEntry, HostChanges, LockHolder, RunResult } from "./types.js";
import { noChanges } from "./types.js";

/** Longest line we append (one write; far below the 128 KiB `cat` writes at once). */
export const MAX_LINE = 60_000;
/** How many names each list keeps when a line would be too long. */
const KEEP_WHEN_CUT = 20;

export interface EntryFacts {
  readonly host: string;
  readonly result: RunResult;
  readonly error?: string;
  readonly changes: HostChanges;
}

export function historyEntry(holder: LockHolder, facts: EntryFacts, endMs: number): HistoryEntry {
  return {
    v: 1,
    at: holder.since,
    host: facts.host,
    verb: holder.verb,
    user: holder.user,
    from: holder.host,
    pid: holder.pid,
    run: holder.token,
    command: holder.command,
    result: facts.result,
    ...(facts.error === undefined ? {} : { error: facts.error }),
    durationMs: Math.max(0, endMs - Date.parse(holder.since)),
    changes: facts.changes,
  };
}

function cut(changes: HostChanges): HostChanges {
  const keep = (names: readonly string[]) => names.slice(0, KEEP_WHEN_CUT);
  return { files: keep(changes.files), created: keep(changes.created), recreated: keep(changes.recreated), restarted: keep(changes.restarted), steps: keep(changes.steps) };
}

/** One line (ending in \n), secrets redacted, lists cut when the line would be too long. */
export function historyLine(entry: HistoryEntry, secrets: readonly string[]): string {
  let line = redactSecrets(JSON.stringify(entry), secrets);
  if (line.length > MAX_LINE) line = redactSecrets(JSON.stringify({ ...entry, changes: cut(entry.changes), truncated: true }), secrets);
  if (line.length > MAX_LINE) line = redactSecrets(JSON.stringify({ ...entry, command: [], changes: noChanges(), truncated: true }), secrets);
  return `${line}\n`;
}

function isEntry(value: unknown): value is HistoryEntry {
  const e = value as Partial<HistoryEntry> | null;
  return typeof e === "object" && e !== null && e.v === 1 && typeof e.at === "string" && typeof e.verb === "string" && typeof e.changes === "object";
}

/** Entries from one host's lines; unreadable lines (a torn write from a crashed host) are skipped and counted. */
export function parseHistory(host: string, lines: readonly string[]): { entries: HistoryEntry[]; unreadable: number } {
  const entries: HistoryEntry[] = [];
  let unreadable = 0;
  for (const line of lines) {
    try {
      const parsed: unknown = JSON.parse(line);
      if (isEntry(parsed)) entries.push({ ...parsed, host });
      else unreadable++;
    } catch {
      unreadable++;
    }
  }
  return { entries, unreadable };
}

/** Every host's entries in one list, oldest first (ties by host name), the last `last` kept (0: all). */
export function mergeHistories(perHost: readonly (readonly HistoryEntry[])[], last: number): HistoryEntry[] {
  const all = perHost.flat().sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.host.localeCompare(b.host));
  return last > 0 ? all.slice(-last) : all;
}

/** Up to `max` names, then how many more. */
function names(list: readonly string[], max: number): string {
  return list.length <= max ? list.join(" ") : `${list.slice(0, max).join(" ")} +${list.length - max} more`;
}

/** "3 file(s), created a b, recreated c, restarted d, 2 step(s)" or "no changes"; long name lists are cut. */
export function summarizeChanges(c: HostChanges, maxNames = 4): string {
  const parts: string[] = [];
  if (c.files.length > 0) parts.push(`${c.files.length} file(s)`);
  if (c.created.length > 0) parts.push(`created ${names(c.created, maxNames)}`);
  if (c.recreated.length > 0) parts.push(`recreated ${names(c.recreated, maxNames)}`);
  if (c.restarted.length > 0) parts.push(`restarted ${names(c.restarted, maxNames)}`);
  if (c.steps.length > 0) parts.push(`${c.steps.length} step(s)`);
  return parts.length === 0 ? "no changes" : parts.join(", ");
}
