/**
 * lock/: the deploy lock on each target host and the per-host run history (docs/lock-and-history.md).
 * Changing verbs wrap their work in withHostLocks; `lock` and `history` read what it leaves.
 */
export type { HistoryEntry, HostChanges, LockHolder, LockObservation, LockVerdict, RunResult } from "./types.js";
export { noChanges } from "./types.js";
export { withHostLocks, LOCK_DEFAULTS, type LockOptions, type LockSession } from "./session.js";
export { LockHeld, describeHeld, type HeldBy, type HostSource } from "./acquire.js";
export { mergeHistories, summarizeChanges, type EntryFacts } from "./history.js";
export { describeHolder, formatAge, formatCommand, redactCommand } from "./holder.js";
export { judgeLock, type StaleContext } from "./stale.js";
export { localHostName, processAlive, type RunIdentity } from "./process.js";
export { readHistories, readLocks, releaseSeen, type HostHistory, type ReleaseRequest } from "./read.js";
export { LOCK_DIR } from "./scripts.js";
