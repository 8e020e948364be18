/**
 * The diagnostic run log (pino enters the code base only here). The terminal UI is not this log:
 * commands print through cli/render; this file records what happened, as JSON, for later reading.
 */
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { pino, type Logger } from "pino";

export type RunLog = Logger;

/** Keys whose values are never written, wherever they sit in a log record. */
const REDACT_PATHS = ["password", "*.password", "secret", "*.secret", "privateKey", "*.privateKey", "passwords"];

export function defaultLogDir(): string {
  return process.env.KOLLA_DEPLOY_LOG_DIR ?? join(process.env.HOME ?? "/tmp", ".kolla-deploy", "logs");
}

/** Opens a JSON log file for one run and returns the logger with the path it writes to. */
export function openRunLog(verb: string, dir = defaultLogDir()): { log: RunLog; path: string } {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const path = join(dir, `${stamp}-${verb}-${process.pid}.jsonl`);
  mkdirSync(dirname(path), { recursive: true });
  const destination = pino.destination({ dest: path, sync: true, mkdir: true });
  const log = pino({ level: "debug", redact: { paths: REDACT_PATHS, censor: "<redacted>" } }, destination);
  return { log, path };
}

/** A logger that writes nowhere, for pure code paths and unit tests. */
export function silentLog(): RunLog {
  return pino({ level: "silent" });
}
