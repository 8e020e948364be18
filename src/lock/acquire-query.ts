/**
 * Taking the lock and reading a host's state in ONE exec: the acquire script runs first, and only
 * when it took the lock does the read-only query (the plan's gather) run, in the same round trip.
 * A refused or failed acquire runs nothing else, so what it returns is exactly the acquire output.
 * A marker line carrying a per-call nonce separates the two outputs.
 */
import { randomBytes } from "node:crypto";
import { quoteArgv } from "../exec/quote.js";
import type { Command, CommandResult } from "../exec/types.js";

export interface AcquireWithQuery {
  readonly command: Command;
  /** The acquire script's own result, and the query's when it ran (only after the lock was taken). */
  split(result: CommandResult): { acquire: CommandResult; query?: CommandResult };
}

/** `acquire` and `query` must agree on become (both run as root). */
export function acquireWithQuery(acquire: Command, query: Command, nonce = randomBytes(8).toString("hex")): AcquireWithQuery {
  if (query.stdin !== undefined || acquire.stdin !== undefined) throw new Error("acquire with a query cannot take stdin");
  if ((acquire.become ?? false) !== (query.become ?? false)) throw new Error("acquire and query must agree on become");
  const marker = `__kolla_deploy_lock_${nonce}__`;
  // $(...) drops the acquire output's trailing newlines: the lines themselves are what parseAcquire reads.
  const script = [
    `kd_out=$(${quoteArgv(acquire.argv)} < /dev/null); kd_rc=$?`,
    `printf '%s\\n' "$kd_out"`,
    `printf '%s acquire-end %s\\n' ${marker} "$kd_rc"`,
    `printf '%s acquire-end %s\\n' ${marker} "$kd_rc" >&2`,
    `if [ "$kd_rc" = 0 ] && [ "$kd_out" = acquired ]; then ${quoteArgv(query.argv)} < /dev/null; fi`,
  ].join("\n");
  // The acquire's own time limit plus the query's; a query without one leaves the whole without one.
  const timeoutMs = acquire.timeoutMs !== undefined && query.timeoutMs !== undefined ? acquire.timeoutMs + query.timeoutMs : undefined;
  const secrets = [...(acquire.secrets ?? []), ...(query.secrets ?? [])];
  const command: Command = {
    argv: ["sh", "-c", script],
    ...(acquire.become === undefined ? {} : { become: acquire.become }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(secrets.length === 0 ? {} : { secrets }),
  };
  return { command, split: (result) => splitResult(result, marker) };
}

/** Where the marker line is: its start, the acquire's exit code, and where the text after it begins. */
function findMarker(text: string, marker: string): { at: number; code: number; after: number } | undefined {
  // indexOf, not a regex: the query's part (container inspect JSON) can be large.
  const tag = `${marker} acquire-end `;
  const at = text.indexOf(tag);
  if (at < 0 || (at > 0 && text[at - 1] !== "\n")) return undefined;
  const eol = text.indexOf("\n", at);
  if (eol < 0) return undefined;
  const code = Number(text.slice(at + tag.length, eol));
  return Number.isInteger(code) ? { at: at > 0 ? at - 1 : 0, code, after: eol + 1 } : undefined;
}

function splitResult(result: CommandResult, marker: string): { acquire: CommandResult; query?: CommandResult } {
  const out = findMarker(result.stdout, marker);
  // No marker: the wrapper itself failed (sudo refused, shell killed): the acquire failed with it.
  if (out === undefined) return { acquire: result };
  const err = findMarker(result.stderr, marker);
  const acquire: CommandResult = {
    code: out.code,
    stdout: result.stdout.slice(0, out.at) + "\n",
    stderr: err === undefined ? result.stderr : result.stderr.slice(0, err.at),
  };
  if (acquire.code !== 0 || acquire.stdout.trim() !== "acquired") return { acquire };
  const query: CommandResult = {
    code: result.code,
    stdout: result.stdout.slice(out.after),
    stderr: err === undefined ? "" : result.stderr.slice(err.after),
  };
  return { acquire, query };
}
