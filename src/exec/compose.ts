/**
 * Several read-only queries in one exec round trip: each command runs in turn inside one sh
 * script, framed on stdout and stderr by markers carrying a per-call nonce; `split` cuts the
 * combined result back into one CommandResult per query.
 */
import { randomBytes } from "node:crypto";
import { quoteArgv } from "./quote.js";
import type { Command, CommandResult } from "./types.js";

export interface ComposedQuery {
  readonly command: Command;
  split(result: CommandResult): CommandResult[];
}

/** Joins commands (none may carry stdin; all must agree on become). */
export function composeQueries(commands: readonly Command[], nonce = randomBytes(8).toString("hex")): ComposedQuery {
  if (commands.some((c) => c.stdin !== undefined)) throw new Error("composed queries cannot take stdin");
  const become = new Set(commands.map((c) => c.become ?? undefined));
  if (become.size > 1) throw new Error("composed queries must agree on become");
  const marker = `__kolla_deploy_${nonce}__`;
  const script = commands
    .map((c, i) =>
      [
        `printf '%s begin ${i}\\n' ${marker}; printf '%s begin ${i}\\n' ${marker} >&2`,
        `${quoteArgv(c.argv)} < /dev/null; rc=$?`,
        `printf '\\n%s end ${i} %s\\n' ${marker} "$rc"; printf '\\n%s end ${i} %s\\n' ${marker} "$rc" >&2`,
      ].join("\n"),
    )
    .join("\n");
  const timeouts = commands.map((c) => c.timeoutMs).filter((t): t is number => t !== undefined);
  const secrets = commands.flatMap((c) => c.secrets ?? []);
  const command: Command = {
    argv: ["sh", "-c", script],
    ...(commands[0]?.become === undefined ? {} : { become: commands[0].become }),
    ...(timeouts.length === 0 ? {} : { timeoutMs: timeouts.reduce((a, b) => a + b, 0) }),
    ...(secrets.length === 0 ? {} : { secrets }),
  };
  return { command, split: (result) => commands.map((_c, i) => splitOne(result, marker, i)) };
}

function splitOne(result: CommandResult, marker: string, index: number): CommandResult {
  const out = section(result.stdout, marker, index);
  const err = section(result.stderr, marker, index);
  if (out === undefined) {
    return { code: 255, stdout: "", stderr: `query ${index} did not run to the end (composed exit ${result.code})` };
  }
  return { code: out.code, stdout: out.text, stderr: err?.text ?? "" };
}

function section(text: string, marker: string, index: number): { text: string; code: number } | undefined {
  // indexOf, not a regex over a copy: parts can be large (container inspect JSON of every service).
  const begin = `${marker} begin ${index}\n`;
  const start = text.indexOf(begin);
  if (start < 0) return undefined;
  const from = start + begin.length;
  const endTag = `\n${marker} end ${index} `;
  const end = text.indexOf(endTag, from);
  if (end < 0) return undefined;
  const eol = text.indexOf("\n", end + endTag.length);
  const code = eol < 0 ? "" : text.slice(end + endTag.length, eol);
  if (!/^\d+$/.test(code)) return undefined;
  return { text: text.slice(from, end), code: Number(code) };
}
