/**
 * SIGINT/SIGTERM while a run takes or holds the lock. Before anything is held the process just
 * dies; during an acquire attempt the signal waits for the attempt to end (so what it took can be
 * let go); once locks are held they are released — history line "interrupted" included — within
 * 10 s, and the process then dies of the same signal. A second signal dies at once.
 */
import { DeployError } from "../errors.js";

const SIGNALS = ["SIGINT", "SIGTERM"] as const;
const RELEASE_BUDGET_MS = 10_000;

export class Interrupted extends DeployError {
  constructor(readonly signal: NodeJS.Signals) {
    super("E_INTERRUPTED", `interrupted by ${signal}`, "");
  }
}

export interface SignalGuard {
  /** true while an acquire attempt is in flight */
  attempting: boolean;
  /** a signal that arrived during an attempt, handled when it ends */
  pending: NodeJS.Signals | undefined;
  /** once locks are held: releases them (the guard then dies of the signal) */
  release: (() => Promise<void>) | undefined;
  dispose(): void;
}

export function dieOf(signal: NodeJS.Signals): void {
  process.kill(process.pid, signal);
}

/** A guard that never traps anything (tests, callers that handle signals themselves). */
export function inertGuard(): SignalGuard {
  return { attempting: false, pending: undefined, release: undefined, dispose: () => undefined };
}

export function guardSignals(notify: (message: string) => void): SignalGuard {
  const guard: SignalGuard = { attempting: false, pending: undefined, release: undefined, dispose: () => SIGNALS.forEach((s) => process.removeListener(s, handler)) };
  function handler(signal: NodeJS.Signals): void {
    if (guard.release === undefined) {
      if (guard.attempting) {
        guard.pending = signal;
        return;
      }
      guard.dispose();
      return dieOf(signal);
    }
    guard.dispose();
    const dieNow = () => dieOf(signal);
    process.once(signal, dieNow);
    notify(`${signal}: releasing the locks`);
    const deadline = new Promise((resolve) => setTimeout(resolve, RELEASE_BUDGET_MS).unref());
    void Promise.race([guard.release(), deadline]).then(() => {
      process.removeListener(signal, dieNow);
      dieNow();
    });
  }
  SIGNALS.forEach((s) => process.on(s, handler));
  return guard;
}
