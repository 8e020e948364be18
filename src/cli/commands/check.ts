/**
 * `check`: reports every enabled container (after --tags/--limit) as healthy/running, or what is
 * wrong with it; exit 1 when anything is. Also home of what the lifecycle verbs (check, pull, stop,
 * destroy, prune-images) share on the command line: their options, the run session, tables.
 */
import type { Command } from "commander";
import type { Limiter } from "../../limit.js";
import { prepare, type Prepared } from "../../apply/prepare.js";
import type { Progress } from "../../apply/progress.js";
import { DeployError, ExitCode } from "../../errors.js";
import type { TransportPool } from "../../exec/index.js";
import { isFailure, type HostResult } from "../../lifecycle/check-hosts.js";
import { checkHosts, type ContainerCheck } from "../../lifecycle/check.js";
import { redactSecrets } from "../../redact.js";
import { commonOptions, parseCount, withCommonOptions, withTransportOptions, type CommonOptions } from "../common.js";
import { poolHostsOf } from "./deploy.js";
import { withRun } from "../run.js";
import { withHostLocks } from "../../lock/index.js";
import { lockOptions, runIdentity, withLockOptions } from "./lock.js";

export const CONFIRM_FLAG = "--yes-i-really-really-mean-it";

/** A lifecycle verb with kolla's common flags, the transport flags and --forks (and the lock flags if it changes hosts). */
export function lifecycleCommand(program: Command, name: string, description: string, opts: { changes?: boolean } = {}): Command {
  const cmd = program.command(name).description(description).option("--forks <n>", "hosts worked on at once", parseCount, 100);
  const withTransport = withTransportOptions(withCommonOptions(cmd));
  return opts.changes === true ? withLockOptions(withTransport) : withTransport;
}

/** Destructive verbs refuse to run, before reading anything, unless the operator confirms. */
export function requireConfirmation(raw: Record<string, unknown>, verb: string, what: string): void {
  if (raw.yesIReallyReallyMeanIt === true) return;
  throw new DeployError("E_USAGE", `${verb} ${what}; it refuses to run without ${CONFIRM_FLAG}`, `if you mean it: kolla-deploy ${verb} ${CONFIRM_FLAG} ...`);
}

export interface Session {
  readonly common: CommonOptions;
  readonly p: Prepared;
  readonly pool: TransportPool;
  readonly forks: Limiter;
  readonly progress: Progress;
  readonly started: number;
  /** prints to stdout with the run's secrets removed */
  print(text: string): void;
}

/**
 * Validates every input (nothing touched yet), opens the run log and the pool, runs `work`, closes.
 * A verb that changes hosts (`lock: true`) works only on the hosts whose deploy lock it holds; hosts it
 * could not lock are reported and make the exit code non-zero.
 */
export async function runSession(
  verb: string,
  raw: Record<string, unknown>,
  work: (s: Session) => Promise<number>,
  opts: { lock?: boolean } = {},
): Promise<number> {
  const p = prepare(commonOptions(raw));
  const targets = { inventory: p.inventory, poolHosts: poolHostsOf(p), logFields: { hosts: p.hosts, roles: p.roles.map((r) => r.name) } };
  return withRun(verb, raw, targets, async (run) => {
    const session: Session = { ...run, p, print: (text) => process.stdout.write(redactSecrets(text, p.secrets)) };
    try {
      if (opts.lock !== true) return await work(session);
      return await withHostLocks(run.pool, p.hosts, runIdentity(verb, p.secrets), async (locks) => {
        for (const [host, error] of locks.failed) session.progress.failed(host, "lock", error.oneLine());
        const code = await work({ ...session, p: { ...p, hosts: locks.hosts } });
        return locks.failed.size > 0 && code === ExitCode.ok ? ExitCode.failure : code;
      }, lockOptions(raw, (m) => session.progress.note(m)));
    } finally {
      process.stderr.write(`run log: ${run.logPath}\n`);
    }
  });
}

/** Columns padded to their widest cell; the last column is free text. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const last = header.length - 1;
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (i === last ? 0 : (r[i] ?? "").length))));
  const line = (r: readonly string[]) => r.map((c, i) => (i === last ? c : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}

export function seconds(s: Session): string {
  return `${((Date.now() - s.started) / 1000).toFixed(1)}s`;
}

/** A host's error for --json. */
export function errorJson(e: DeployError): { code: string; message: string } {
  return { code: e.code, message: e.oneLine() };
}

/** Exit status of a lifecycle verb: 1 when any host failed or reported a problem. */
export function exitFor<T>(results: readonly HostResult<T>[], problem: (value: T) => boolean = () => false): number {
  return results.some((r) => isFailure(r) || problem(r.value)) ? ExitCode.failure : ExitCode.ok;
}

export function register(program: Command): void {
  lifecycleCommand(program, "check", "report every enabled container as healthy/running, or what is wrong with it (missing, not running, unhealthy); exit 1 if anything is").action(
    async (raw: Record<string, unknown>) => {
      process.exitCode = await runSession("check", raw, runCheck);
    },
  );
}

async function runCheck(s: Session): Promise<number> {
  const results = await checkHosts(s.p, s.pool, s.forks);
  const wrong = (checks: ContainerCheck[]) => checks.some((c) => !c.ok);
  if (s.common.json) {
    const hosts = results.map((r) => (isFailure(r) ? { host: r.host, error: errorJson(r.error) } : { host: r.host, containers: r.value }));
    s.print(JSON.stringify({ ok: exitFor(results, wrong) === ExitCode.ok, hosts }, null, 2) + "\n");
  } else {
    s.print(formatCheck(results, seconds(s)));
  }
  return exitFor(results, wrong);
}

export function formatCheck(results: readonly HostResult<ContainerCheck[]>[], took: string): string {
  const rows = results.flatMap((r) =>
    isFailure(r) ? [[r.host, "-", "FAILED", r.error.oneLine()]] : r.value.map((c) => [r.host, c.container, c.ok ? c.condition : c.condition.toUpperCase(), c.detail]),
  );
  const checks = results.flatMap((r) => (isFailure(r) ? [] : r.value));
  const failedHosts = results.filter(isFailure).length;
  const bad = checks.filter((c) => !c.ok).length;
  const summary = `check: ${checks.length - bad} container(s) ok, ${bad} wrong on ${results.length} host(s)` + (failedHosts > 0 ? `, ${failedHosts} host(s) failed` : "") + ` in ${took}`;
  if (rows.length === 0) return `no enabled container on the selected hosts\n${summary}\n`;
  return formatTable(["host", "container", "state", "detail"], rows) + summary + "\n";
}
