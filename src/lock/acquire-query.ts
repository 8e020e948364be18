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

function splitResult(result: CommandResult, marker: string): { acquire: CommandResult; query?: CommandResult } {
  const end = new RegExp(`(?:^|\\n)${marker} acquire-end (\\d+)\\n`);
  const out = end.exec(result.stdout);
  // No marker: the wrapper itself failed (sudo refused, shell killed): the acquire failed with it.
  if (out === null) return { acquire: result };
  const err = end.exec(result.stderr);
  const acquire: CommandResult = {
    code: Number(out[1]),
    stdout: result.stdout.slice(0, out.index) + "\n",
    stderr: err === null ? result.stderr : result.stderr.slice(0, err.index),
  };
  if (acquire.code !== 0 || acquire.stdout.trim() !== "acquired") return { acquire };
  const query: CommandResult = {
    code: result.code,
    stdout: result.stdout.slice(out.index + out[0].length),
    stderr: err === null ? "" : result.stderr.slice(err.index + err[0].length),
  };
  return { acquire, query };
}
