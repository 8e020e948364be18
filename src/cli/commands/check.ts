/**
 * `check`: reports every enabled container (after --tags/--limit) as healthy/running, or what is
 * wrong with it; exit 1 when anything is.
 */
import type { Command } from "commander";
import { ExitCode } from "../../errors.js";
import { isFailure, type HostResult } from "../../apply/fanout.js";
import { checkHosts, type ContainerCheck } from "../../lifecycle/check.js";
import { lifecycleCommand, runOptions, type CommonFlags, type ForksFlags, type TransportFlags } from "../common.js";
import { errorJson, exitFor, runSession, seconds, type Session } from "../session.js";
import { formatTable } from "../../table.js";

type CheckFlags = CommonFlags & TransportFlags & ForksFlags;

export function register(program: Command): void {
  lifecycleCommand(program, "check", "report every enabled container as healthy/running, or what is wrong with it (missing, not running, unhealthy); exit 1 if anything is").action(
    async (flags: CheckFlags) => {
      process.exitCode = await runSession("check", runOptions(flags), runCheck);
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
