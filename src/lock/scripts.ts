/**
 * The lock and history operations as Commands (data) and the parsers of their output. Each is
 * one POSIX sh script, run as root, so every operation on a host is one exec round trip.
 *
 * Atomicity: the holder record is written to a temp file in the same directory and hard-linked
 * to `lock`; link(2) fails when `lock` exists, so of two racing runs (from any deployment hosts)
 * exactly one wins, and the lock never exists half-written. A history line is staged in a temp
 * file and appended with one `cat >>` (a single O_APPEND write for lines under 128 KiB), so two
 * runs' lines never interleave.
 */
import { STATE_DIR } from "../paths.js";
import type { Command, CommandResult } from "../exec/types.js";
import { parseHolder } from "./holder.js";
import type { LockObservation } from "./types.js";

export const LOCK_DIR = STATE_DIR;
const TIMEOUT_MS = 30_000;

/** Prints `free`, or `held`, the host's time, the lock's mtime, then the lock text. */
// Contents first, then mtime: a lock released between the two reads says "free" (the caller retries),
// never "held" with no holder and a failed cat's exit status (a false E_LOCK_IO, seen under load).
const REPORT = `report() {
  if [ -f "$lock" ] && c=$(cat "$lock" 2>/dev/null) && m=$(stat -c %Y "$lock" 2>/dev/null); then
    echo held; date +%s; echo "$m"; printf '%s\\n' "$c"
  else echo free; fi
}`;

// The state directory is created with the usual umask (others create it too); only our files are private.
const ACQUIRE = `set -u
dir=$1; info=$2; lock="$dir/lock"
${REPORT}
mkdir -p "$dir" || exit 3
umask 077
if [ -d "$lock" ]; then echo "kolla-deploy: $lock is a directory" >&2; exit 3; fi
tmp=$(mktemp "$dir/.lock.XXXXXX") || exit 3
if ! printf '%s\\n' "$info" > "$tmp"; then rm -f "$tmp"; exit 3; fi
if ln "$tmp" "$lock" 2>/dev/null; then rm -f "$tmp"; echo acquired; exit 0; fi
rm -f "$tmp"
report
`;

// Take over a lock judged stale, only if it is still the very lock that was judged (same mtime,
// same token): a holder that heartbeated meanwhile keeps it. The marker link serialises racing
// takers of the same stale lock; one left by a killed taker expires after a minute.
const TAKEOVER = `set -u
umask 077
dir=$1; token=$2; mtime=$3; info=$4; lock="$dir/lock"; mark="$dir/.takeover-\${token:-x}-$mtime"
find "$dir" -maxdepth 1 -name '.takeover-*' -mmin +1 -exec rm -f {} + 2>/dev/null
tmp=$(mktemp "$dir/.lock.XXXXXX") || exit 3
if ! printf '%s\\n' "$info" > "$tmp"; then rm -f "$tmp"; exit 3; fi
if ! ln "$tmp" "$mark" 2>/dev/null; then rm -f "$tmp"; echo busy; exit 0; fi
r=changed
if [ "$(stat -c %Y "$lock" 2>/dev/null)" = "$mtime" ] && { [ -z "$token" ] || grep -qF "\\"token\\":\\"$token\\"" "$lock"; }; then
  rm -f "$lock"
  if ln "$tmp" "$lock" 2>/dev/null; then r=acquired; else r=lost; fi
fi
rm -f "$tmp" "$mark"
echo $r
`;

const HEARTBEAT = `lock="$1/lock"
if grep -qF "\\"token\\":\\"$2\\"" "$lock" 2>/dev/null && touch -c "$lock"; then echo ok; else echo lost; fi
`;

// stdin: history lines (may be empty). Token "*" removes whatever lock is there (an unreadable one).
const RELEASE = `set -u
dir=$1; token=$2; lock="$dir/lock"
mkdir -p "$dir" || exit 3
umask 077
t=$(mktemp "$dir/.history.XXXXXX") || exit 3
cat > "$t"
if [ -s "$t" ] && ! cat "$t" >> "$dir/history.jsonl"; then rm -f "$t"; exit 3; fi
rm -f "$t"
if [ "$token" = "*" ] && [ -f "$lock" ]; then rm -f "$lock"; echo released
elif [ -n "$token" ] && grep -qF "\\"token\\":\\"$token\\"" "$lock" 2>/dev/null; then rm -f "$lock"; echo released
else echo notours; fi
`;

const STATUS = `lock="$1/lock"
${REPORT}
report
`;

const HISTORY = `f="$1/history.jsonl"
if [ -f "$f" ]; then if [ "$2" -gt 0 ]; then tail -n "$2" "$f"; else cat "$f"; fi; fi
`;

function script(name: string, body: string, args: readonly string[], stdin?: string): Command {
  return { argv: ["sh", "-c", body, `kolla-deploy-${name}`, ...args], become: true, timeoutMs: TIMEOUT_MS, ...(stdin === undefined ? {} : { stdin }) };
}

export function acquireCommand(holderLine: string, dir = LOCK_DIR): Command {
  return script("lock", ACQUIRE, [dir, holderLine]);
}

export function takeoverCommand(stale: { token: string | undefined; mtime: number }, holderLine: string, dir = LOCK_DIR): Command {
  return script("lock-takeover", TAKEOVER, [dir, stale.token ?? "", String(stale.mtime), holderLine]);
}

export function heartbeatCommand(token: string, dir = LOCK_DIR): Command {
  return script("lock-heartbeat", HEARTBEAT, [dir, token]);
}

/** Appends `historyLines` (each ending in \n) and then removes the lock if it carries `token`. */
export function releaseCommand(token: string, historyLines: string, dir = LOCK_DIR): Command {
  return script("unlock", RELEASE, [dir, token], historyLines);
}

export function statusCommand(dir = LOCK_DIR): Command {
  return script("lock-status", STATUS, [dir]);
}

/** The last `last` lines of the history (every line when 0). */
export function historyCommand(last: number, dir = LOCK_DIR): Command {
  return script("history", HISTORY, [dir, String(Math.max(0, Math.floor(last)))]);
}

export class ScriptOutputError extends Error {}

function lines(result: CommandResult, what: string): string[] {
  if (result.code !== 0) throw new ScriptOutputError(`${what} exited ${result.code}: ${result.stderr.trim() || "no message"}`);
  return result.stdout.split("\n");
}

/** Parses the `report` part of acquire and status output (from its first line on). */
export function parseObservation(out: readonly string[]): LockObservation {
  if (out[0] !== "held") return { state: "free" };
  const now = Number(out[1]);
  const mtime = Number(out[2]);
  const raw = out.slice(3).join("\n").trim();
  return { state: "held", holder: parseHolder(raw), raw, mtime, heartbeatAgeSec: Math.max(0, now - mtime) };
}

export type AcquireOutcome = { readonly acquired: true } | { readonly acquired: false; readonly seen: LockObservation };

export function parseAcquire(result: CommandResult): AcquireOutcome {
  const out = lines(result, "taking the lock");
  if (out[0] === "acquired") return { acquired: true };
  return { acquired: false, seen: parseObservation(out) };
}

export function parseStatus(result: CommandResult): LockObservation {
  return parseObservation(lines(result, "reading the lock"));
}

export function parseWord<T extends string>(result: CommandResult, what: string, words: readonly T[]): T {
  const word = lines(result, what)[0] as T;
  if (!words.includes(word)) throw new ScriptOutputError(`${what}: unexpected output "${result.stdout.slice(0, 80)}"`);
  return word;
}

export function parseTakeover(result: CommandResult): "acquired" | "busy" | "changed" | "lost" {
  return parseWord(result, "taking over the lock", ["acquired", "busy", "changed", "lost"] as const);
}

export function parseHeartbeat(result: CommandResult): "ok" | "lost" {
  return parseWord(result, "refreshing the lock", ["ok", "lost"] as const);
}

export function parseRelease(result: CommandResult): "released" | "notours" {
  return parseWord(result, "releasing the lock", ["released", "notours"] as const);
}

export function parseHistoryLines(result: CommandResult): string[] {
  return lines(result, "reading the history").filter((l) => l.trim() !== "");
}
