/**
 * `lock status` and `lock release`: who holds the deploy lock on each host, and releasing one that a
 * gone run left behind. (The lock flags every changing verb takes are in cli/common.ts.)
 */
import { createInterface } from "node:readline/promises";
import type { Command } from "commander";
import { DeployError, ExitCode } from "../../errors.js";
import type { TransportPool } from "../../exec/index.js";
import {
  describeHolder, formatAge, formatCommand, judgeLock, localHostName, LOCK_DEFAULTS, processAlive, readLocks, releaseSeen,
  type LockObservation, type LockVerdict,
} from "../../lock/index.js";
import {
  commonOptions, CONFIRM_FLAG, parseSeconds, transportOptions, withCommonOptions, withTransportOptions,
  type CommonFlags, type ConfirmFlags, type TransportFlags,
} from "../common.js";
import { openPool, selectedHosts } from "../session.js";
import { formatTable } from "../../table.js";

interface LockVerbFlags extends CommonFlags, TransportFlags, ConfirmFlags {
  lockStaleAfter?: number;
}

export function register(program: Command): void {
  const lock = program.command("lock").description("the deploy lock on each host: who holds it, and releasing one a gone run left behind");
  withTransportOptions(withCommonOptions(lock.command("status").description("per host: free, held by whom since when running what, or stale")))
    .option("--lock-stale-after <seconds>", `judge a lock from another deployment host stale after this long without heartbeat (default ${LOCK_DEFAULTS.staleAfterSec})`, parseSeconds)
    .action(async (flags: LockVerbFlags) => {
      process.exitCode = await lockVerb(flags, showStatus);
    });
  withTransportOptions(withCommonOptions(lock.command("release").description("remove the locks on the selected hosts (asks first; the holder must really be gone)")))
    .option(CONFIRM_FLAG, "release without asking")
    .option("--lock-stale-after <seconds>", "as for lock status", parseSeconds)
    .action(async (flags: LockVerbFlags) => {
      process.exitCode = await lockVerb(flags, release);
    });
}

interface Seen {
  readonly host: string;
  readonly seen: LockObservation | DeployError;
  readonly verdict?: LockVerdict;
}

async function lockVerb(flags: LockVerbFlags, work: (seen: Seen[], pool: TransportPool, flags: LockVerbFlags) => Promise<number>): Promise<number> {
  const { inventory, hosts } = selectedHosts(commonOptions(flags));
  const pool = openPool(inventory, hosts, transportOptions(flags));
  try {
    const locks = await readLocks(pool, hosts);
    const ctx = { localHost: localHostName(), staleAfterSec: flags.lockStaleAfter ?? LOCK_DEFAULTS.staleAfterSec, isAlive: processAlive };
    const seen = hosts.map((host) => {
      const s = locks.get(host)!;
      return s instanceof DeployError ? { host, seen: s } : { host, seen: s, verdict: judgeLock(s, ctx) };
    });
    return await work(seen, pool, flags);
  } finally {
    await pool.closeAll();
  }
}

function stateOf(s: Seen): string {
  if (s.seen instanceof DeployError) return "error";
  return s.verdict?.kind === "stale" ? "stale" : s.seen.state;
}

function statusRow(s: Seen, now: number): string[] {
  if (s.seen instanceof DeployError) return [s.host, "error", "", "", s.seen.oneLine()];
  if (s.seen.state === "free") return [s.host, "free", "", "", ""];
  const h = s.seen.holder;
  const beat = `${formatAge(s.seen.heartbeatAgeSec)} ago`;
  const why = s.verdict?.kind === "stale" ? ` (stale: ${s.verdict.why})` : "";
  if (h === undefined) return [s.host, stateOf(s), "unknown (not a kolla-deploy lock)", beat, `${s.seen.raw.slice(0, 60)}${why}`];
  const since = `${h.since} (${formatAge((now - Date.parse(h.since)) / 1000)} ago)`;
  return [s.host, stateOf(s), `${h.user}@${h.host} pid ${h.pid} since ${since}`, beat, `${formatCommand(h.command)}${why}`];
}

function statusJson(s: Seen): Record<string, unknown> {
  if (s.seen instanceof DeployError) return { host: s.host, state: "error", error: { code: s.seen.code, message: s.seen.oneLine() } };
  if (s.seen.state === "free") return { host: s.host, state: "free" };
  const { token: _token, ...holder } = s.seen.holder ?? { token: "" };
  return {
    host: s.host, state: stateOf(s), heartbeatAgeSec: s.seen.heartbeatAgeSec,
    ...(s.seen.holder === undefined ? { raw: s.seen.raw } : { holder }),
    ...(s.verdict?.kind === "stale" ? { staleBecause: s.verdict.why } : {}),
  };
}

async function showStatus(seen: Seen[], _pool: TransportPool, flags: LockVerbFlags): Promise<number> {
  if (flags.json) {
    process.stdout.write(JSON.stringify(seen.map(statusJson), null, 2) + "\n");
  } else {
    const now = Date.now();
    process.stdout.write(formatTable(["host", "state", "holder", "heartbeat", "command"], seen.map((s) => statusRow(s, now))));
  }
  return seen.some((s) => s.seen instanceof DeployError) ? ExitCode.failure : ExitCode.ok;
}

async function confirmed(flags: ConfirmFlags, count: number): Promise<boolean> {
  if (flags.yesIReallyReallyMeanIt === true) return true;
  if (process.stdin.isTTY !== true) {
    throw new DeployError("E_CONFIRM", `refusing to release ${count} lock(s) without confirmation`, `check with \`kolla-deploy lock status\` that the holder is really gone, then pass ${CONFIRM_FLAG}`);
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`release ${count} lock(s)? A run that still holds one would go on unprotected. [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

async function release(seen: Seen[], pool: TransportPool, flags: LockVerbFlags): Promise<number> {
  for (const s of seen.filter((x) => x.seen instanceof DeployError)) process.stderr.write(`${s.host}: ${(s.seen as DeployError).oneLine()}\n`);
  const held = seen.filter((s): s is Seen & { seen: Extract<LockObservation, { state: "held" }> } => !(s.seen instanceof DeployError) && s.seen.state === "held");
  if (held.length === 0) {
    process.stdout.write("no lock is held on the selected hosts\n");
    return ExitCode.ok;
  }
  const now = Date.now();
  for (const s of held) {
    const who = s.seen.holder === undefined ? `an unreadable lock ("${s.seen.raw.slice(0, 60)}")` : describeHolder(s.seen.holder, now);
    process.stderr.write(`${s.host}: ${s.verdict?.kind === "stale" ? "stale" : "held"}: ${who}\n`);
  }
  if (!(await confirmed(flags, held.length))) {
    process.stderr.write("nothing released\n");
    return ExitCode.failure;
  }
  const argv = ["kolla-deploy", ...process.argv.slice(2)];
  const outcomes = await Promise.all(held.map((s) => releaseSeen(pool, { host: s.host, seen: s.seen, argv, secrets: [] }).catch((e: unknown) => e as Error)));
  held.forEach((s, i) => {
    const o = outcomes[i];
    const text = o === "released" ? "released" : o === "notours" ? "not released: the lock changed since it was read (see lock status)" : `not released: ${o instanceof DeployError ? o.oneLine() : String(o)}`;
    process.stdout.write(`${s.host}: ${text}\n`);
  });
  return outcomes.some((o) => o !== "released") || seen.some((s) => s.seen instanceof DeployError) ? ExitCode.failure : ExitCode.ok;
}
