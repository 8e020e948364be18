/**
 * The deploy lock and the per-host run history, as data. Both live on each target host next to
 * the host record (/var/lib/kolla-deploy): the lock as one JSON line in `lock`, the history as
 * one JSON line per run in `history.jsonl`. Neither ever holds a secret.
 */

/** Who holds a lock: written once, atomically, when the lock is taken. */
export interface LockHolder {
  readonly v: 1;
  /** random per run: only the run that wrote a lock may refresh or release it */
  readonly token: string;
  readonly user: string;
  /** the deployment host's name (os.hostname()) */
  readonly host: string;
  readonly pid: number;
  /** the holder process's start time (Linux /proc/<pid>/stat field 22), to tell a reused PID apart */
  readonly pidStart?: string;
  /** ISO time the lock was taken, by the deployment host's clock */
  readonly since: string;
  readonly verb: string;
  /** the command line, secrets redacted */
  readonly command: readonly string[];
}

/** What one read of a host's lock found. Times are the host's own clock, so skew between deployment hosts never matters. */
export type LockObservation =
  | { readonly state: "free" }
  | {
      readonly state: "held";
      /** undefined when the lock file is not ours to read (corrupt, or written by something else) */
      readonly holder: LockHolder | undefined;
      /** the file's text when it could not be read as a holder (shown to the operator, never parsed further) */
      readonly raw: string;
      /** the lock file's mtime (epoch seconds, host clock): the holder's last heartbeat */
      readonly mtime: number;
      /** seconds since that heartbeat, by the host's clock */
      readonly heartbeatAgeSec: number;
    };

export type LockVerdict =
  | { readonly kind: "free" }
  | { readonly kind: "held" }
  | { readonly kind: "stale"; readonly why: string };

export type RunResult = "ok" | "failed" | "interrupted";

/** What a run changed on one host; names only. */
export interface HostChanges {
  readonly files: readonly string[];
  readonly created: readonly string[];
  readonly recreated: readonly string[];
  readonly restarted: readonly string[];
  readonly steps: readonly string[];
}

/** One line of a host's history.jsonl. */
export interface HistoryEntry {
  readonly v: 1;
  /** when the run started (ISO), by the deployment host's clock */
  readonly at: string;
  readonly host: string;
  readonly verb: string;
  readonly user: string;
  readonly from: string;
  readonly pid: number;
  /** the lock token of the run: the same value on every host of one run */
  readonly run: string;
  readonly command: readonly string[];
  readonly result: RunResult;
  /** DeployError code when result is not ok */
  readonly error?: string;
  readonly durationMs: number;
  readonly changes: HostChanges;
  /** set when the lists were cut to keep one line small */
  readonly truncated?: boolean;
}

export function noChanges(): HostChanges {
  return { files: [], created: [], recreated: [], restarted: [], steps: [] };
}
