/**
 * Counts what a run did over SSH from the hosts' own sshd logs (LogLevel VERBOSE): one
 * "Accepted publickey" per connection, one "Starting session:" per exec/subsystem channel. The same
 * count for kolla-deploy and Ansible, and a check on kolla-deploy's self-reported stats.
 */
import { existsSync, readFileSync } from "node:fs";
import { mean } from "./stats.js";
import type { SshCounts } from "./types.js";

export interface LogSource {
  readonly host: string;
  readonly path: string;
}

export type LogSnapshot = ReadonlyMap<string, { readonly connections: number; readonly sessions: number }>;

export function snapshot(sources: readonly LogSource[]): LogSnapshot {
  const counts = new Map<string, { connections: number; sessions: number }>();
  for (const s of sources) {
    const text = existsSync(s.path) ? readFileSync(s.path, "utf8") : "";
    counts.set(s.host, { connections: occurrences(text, "Accepted publickey"), sessions: occurrences(text, "Starting session:") });
  }
  return counts;
}

function occurrences(text: string, needle: string): number {
  let n = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) n++;
  return n;
}

export function delta(before: LogSnapshot, after: LogSnapshot): SshCounts {
  const conns: number[] = [];
  const execs: number[] = [];
  for (const [host, a] of after) {
    const b = before.get(host) ?? { connections: 0, sessions: 0 };
    conns.push(a.connections - b.connections);
    execs.push(a.sessions - b.sessions);
  }
  return {
    connectionsPerHost: mean(conns),
    execsPerHost: mean(execs),
    maxConnectionsPerHost: Math.max(0, ...conns),
    maxExecsPerHost: Math.max(0, ...execs),
  };
}

/** Several runs' counts as one: the mean per run, the max over runs. */
export function combine(runs: readonly SshCounts[]): SshCounts {
  return {
    connectionsPerHost: mean(runs.map((r) => r.connectionsPerHost)),
    execsPerHost: mean(runs.map((r) => r.execsPerHost)),
    maxConnectionsPerHost: Math.max(0, ...runs.map((r) => r.maxConnectionsPerHost)),
    maxExecsPerHost: Math.max(0, ...runs.map((r) => r.maxExecsPerHost)),
  };
}
