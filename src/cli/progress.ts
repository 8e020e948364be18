/**
 * The terminal side of Progress: one line per host and step on stderr, so stdout stays clean for
 * --json, and the same events into the run log as JSON. Only cli/ writes to the terminal; the layers
 * below report through the Progress interface (apply/progress.ts).
 */
import type { Progress } from "../apply/progress.js";
import type { RunLog } from "../log.js";

function clock(): string {
  return new Date().toISOString().slice(11, 19);
}

export function terminalProgress(log: RunLog, quiet = false): Progress {
  const write = (line: string) => {
    if (!quiet) process.stderr.write(`${clock()} ${line}\n`);
  };
  return {
    step: (host, what) => {
      log.info({ host, event: "start" }, what);
      write(`${host.padEnd(12)} … ${what}`);
    },
    done: (host, what, ms) => {
      log.info({ host, event: "done", ms }, what);
      write(`${host.padEnd(12)} ✓ ${what} (${(ms / 1000).toFixed(1)}s)`);
    },
    failed: (host, what, message) => {
      log.error({ host, event: "failed" }, `${what}: ${message}`);
      write(`${host.padEnd(12)} ✗ ${what}: ${message}`);
    },
    note: (message) => {
      log.warn(message);
      write(message);
    },
  };
}
