/**
 * The deployment-host side of a lock: who we are (user, host name, PID and its start time) and
 * whether a holder that ran on this same machine is still alive.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { hostname, userInfo } from "node:os";
import { redactCommand } from "./holder.js";
import type { LockHolder } from "./types.js";

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); undefined off Linux. */
export function processStartTime(pid: number | "self"): string | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may itself hold spaces or parentheses.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return fields[19];
}

/** True while a process with this PID exists and, when we know it, started at the recorded time. */
export function processAlive(pid: number, startTime: string | undefined): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  if (startTime === undefined) return true;
  const now = processStartTime(pid);
  return now === undefined || now === startTime;
}

export function localHostName(): string {
  return hostname();
}

function userName(): string {
  let name: string;
  try {
    name = userInfo().username;
  } catch {
    name = process.env.USER ?? `uid ${process.getuid?.() ?? "?"}`;
  }
  const sudoUser = process.env.SUDO_USER;
  return sudoUser !== undefined && sudoUser !== "" && sudoUser !== name ? `${sudoUser} (sudo ${name})` : name;
}

export interface RunIdentity {
  readonly verb: string;
  /** the raw command line (process.argv.slice(2) prefixed with the program name); redacted here */
  readonly argv: readonly string[];
  readonly secrets: readonly string[];
}

/** The holder record for this process, with a fresh token. */
export function ownHolder(run: RunIdentity, now = new Date()): LockHolder {
  const pidStart = processStartTime("self");
  return {
    v: 1,
    token: randomBytes(12).toString("hex"),
    user: userName(),
    host: localHostName(),
    pid: process.pid,
    ...(pidStart === undefined ? {} : { pidStart }),
    since: now.toISOString(),
    verb: run.verb,
    command: redactCommand(run.argv, run.secrets),
  };
}
