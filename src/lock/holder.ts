/**
 * Pure helpers about lock holders: redacting the command line a lock records, reading a lock
 * file's text back, and describing a holder in one line for people.
 */
import { REDACTED, redactSecrets } from "../redact.js";
import type { LockHolder } from "./types.js";

/** `-e key=value` pairs whose key names a secret keep the key and lose the value. */
const SECRET_KEY = /pass|secret|token|key|credential/i;

function redactExtraVar(value: string): string {
  if (value.startsWith("@")) return value; // a file name
  // Inline JSON/YAML may hold anything: keep none of it.
  if (/^\s*[{[]/.test(value)) return REDACTED;
  return value
    .split(/\s+/)
    .map((pair) => {
      const at = pair.indexOf("=");
      return at > 0 && SECRET_KEY.test(pair.slice(0, at)) ? `${pair.slice(0, at + 1)}${REDACTED}` : pair;
    })
    .join(" ");
}

/**
 * The command line as a lock and the history record it: every known secret value replaced, and
 * `-e` values that may carry secrets (inline JSON, `key=value` with a secret-looking key) hidden.
 */
export function redactCommand(argv: readonly string[], secrets: readonly string[]): string[] {
  const out: string[] = [];
  let extraVarsNext = false;
  for (const word of argv) {
    if (extraVarsNext) {
      out.push(redactExtraVar(word));
      extraVarsNext = false;
    } else if (word === "-e" || word === "--extra-vars") {
      out.push(word);
      extraVarsNext = true;
    } else if (/^-e./.test(word)) {
      out.push(`-e${redactExtraVar(word.slice(2))}`);
    } else if (word.startsWith("--extra-vars=")) {
      out.push(`--extra-vars=${redactExtraVar(word.slice("--extra-vars=".length))}`);
    } else {
      out.push(word);
    }
  }
  return out.map((w) => redactSecrets(w, secrets));
}

function isHolder(value: unknown): value is LockHolder {
  const h = value as Partial<LockHolder> | null;
  return (
    typeof h === "object" && h !== null && h.v === 1 && typeof h.token === "string" && typeof h.user === "string" &&
    typeof h.host === "string" && typeof h.pid === "number" && typeof h.since === "string" && typeof h.verb === "string" &&
    Array.isArray(h.command)
  );
}

/** The holder a lock file names, or undefined when the text is not a lock we wrote. */
export function parseHolder(text: string): LockHolder | undefined {
  try {
    const parsed: unknown = JSON.parse(text.trim());
    return isHolder(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function serializeHolder(holder: LockHolder): string {
  return JSON.stringify(holder);
}

/** "12s", "4m05s", "2h03m", "3d04h". */
export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
  return `${Math.floor(s / 86400)}d${String(Math.floor((s % 86400) / 3600)).padStart(2, "0")}h`;
}

/** Shell-like rendering of a recorded command line (for people, never executed). */
export function formatCommand(command: readonly string[]): string {
  return command.map((w) => (/^[A-Za-z0-9_@%+=:,./<>-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(" ");
}

/** `user@host (pid N) since ISO (4m05s ago), running "kolla-deploy deploy ..."` */
export function describeHolder(holder: LockHolder, nowMs: number): string {
  const age = (nowMs - Date.parse(holder.since)) / 1000;
  const ago = Number.isFinite(age) ? ` (${formatAge(age)} ago)` : "";
  return `${holder.user}@${holder.host} (pid ${holder.pid}) since ${holder.since}${ago}, running "${formatCommand(holder.command)}"`;
}
