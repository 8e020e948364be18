/**
 * Live progress while a run works: one line per host and step on stderr, so stdout stays clean for
 * --json. The terminal UI lives here and in cli/; the run log (log.ts) records the same events as JSON.
 */
import type { RunLog } from "../log.js";

export interface Progress {
  step(host: string, what: string): void;
  done(host: string, what: string, ms: number): void;
  failed(host: string, what: string, message: string): void;
  note(message: string): void;
}

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
