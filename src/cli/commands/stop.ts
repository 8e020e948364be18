/**
 * `stop --yes-i-really-really-mean-it [--ignore-missing]`: stops the enabled containers of the
 * selected roles on the selected hosts, except those in skip_stop_containers (kolla's stop).
 */
import type { Command } from "commander";
import { isFailure, type HostResult } from "../../apply/fanout.js";
import { stopHosts, type HostStop } from "../../lifecycle/stop.js";
import {
  CONFIRM_FLAG, lifecycleCommand, requireConfirmation, runOptions,
  type CommonFlags, type ConfirmFlags, type ForksFlags, type LockFlags, type TransportFlags,
} from "../common.js";
import { errorJson, exitFor, runSession, seconds, type Session } from "../session.js";
import { formatTable } from "../../table.js";

interface StopFlags extends CommonFlags, TransportFlags, ForksFlags, LockFlags, ConfirmFlags {
  ignoreMissing: boolean;
}

export function register(program: Command): void {
  lifecycleCommand(program, "stop", "stop the enabled containers (of the selected roles and hosts), except skip_stop_containers", { changes: true })
    .option(CONFIRM_FLAG, "confirm: stopping takes the selected services down")
    .option("--ignore-missing", "a container that does not exist is skipped instead of failing its host", false)
    .action(async (flags: StopFlags) => {
      requireConfirmation(flags, "stop", "takes services down");
      process.exitCode = await runSession("stop", runOptions(flags), (s) => runStop(s, flags.ignoreMissing), flags);
    });
}

async function runStop(s: Session, ignoreMissing: boolean): Promise<number> {
  const results = await stopHosts({ p: s.p, pool: s.pool, forks: s.forks, progress: s.progress, ignoreMissing });
  const hadErrors = (v: HostStop) => v.errors.length > 0;
  if (s.common.json) {
    const hosts = results.map((r) =>
      isFailure(r)
        ? { host: r.host, error: errorJson(r.error) }
        : { host: r.host, stopped: r.value.stopped, alreadyStopped: r.value.alreadyStopped, skipped: r.value.skipped, missing: r.value.missing, errors: r.value.errors.map(errorJson) },
    );
    s.print(JSON.stringify({ hosts }, null, 2) + "\n");
  } else {
    s.print(formatStop(results, seconds(s)));
  }
  return exitFor(results, hadErrors);
}

export function formatStop(results: readonly HostResult<HostStop>[], took: string): string {
  const count = (list: readonly string[]) => String(list.length);
  const rows = results.map((r) => {
    if (isFailure(r)) return [r.host, "failed", "-", "-", "-", "-", r.error.oneLine()];
    const v = r.value;
    return [r.host, v.errors.length > 0 ? "failed" : "ok", count(v.stopped), count(v.alreadyStopped), count(v.skipped), count(v.missing), v.errors[0]?.oneLine() ?? ""];
  });
  const more = results.flatMap((r) => (isFailure(r) ? [] : r.value.errors.slice(1).map((e) => `${r.host}: ${e.oneLine()}\n`)));
  const stopped = results.reduce((n, r) => n + (isFailure(r) ? 0 : r.value.stopped.length), 0);
  const failed = results.filter((r) => isFailure(r) || r.value.errors.length > 0).length;
  const table = formatTable(["host", "result", "stopped", "already stopped", "skipped", "missing", "error"], rows);
  return table + more.join("") + `stop: ${stopped} container(s) stopped on ${results.length} host(s), ${failed} host(s) failed in ${took}\n`;
}
