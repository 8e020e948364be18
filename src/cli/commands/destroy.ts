/**
 * `destroy --yes-i-really-really-mean-it [--include-images]`: removes every container the selected
 * roles define (enabled or not), their named volumes, config directories and the host record, on
 * the selected hosts; with --include-images their images too.
 */
import type { Command } from "commander";
import { isFailure, type HostResult } from "../../apply/fanout.js";
import { destroyHosts, type HostDestroy } from "../../lifecycle/destroy.js";
import {
  CONFIRM_FLAG, lifecycleCommand, requireConfirmation, runOptions,
  type CommonFlags, type ConfirmFlags, type ForksFlags, type LockFlags, type TransportFlags,
} from "../common.js";
import { errorJson, exitFor, runSession, seconds, type Session } from "../session.js";
import { formatTable } from "../../table.js";

interface DestroyFlags extends CommonFlags, TransportFlags, ForksFlags, LockFlags, ConfirmFlags {
  includeImages: boolean;
}

export function register(program: Command): void {
  lifecycleCommand(program, "destroy", "remove kolla's containers, their named volumes (data!), /etc/kolla/<service> dirs and the host record on the selected hosts", { changes: true })
    .option(CONFIRM_FLAG, "confirm: destroy deletes data (database volumes included) and cannot be undone")
    .option("--include-images", "also remove the services' images", false)
    .action(async (flags: DestroyFlags) => {
      requireConfirmation(flags, "destroy", "deletes containers and their data");
      process.exitCode = await runSession("destroy", runOptions(flags), (s) => runDestroy(s, flags.includeImages), flags);
    });
}

async function runDestroy(s: Session, includeImages: boolean): Promise<number> {
  const results = await destroyHosts({ p: s.p, pool: s.pool, forks: s.forks, progress: s.progress, includeImages });
  const hadErrors = (v: HostDestroy) => v.errors.length > 0;
  if (s.common.json) {
    const hosts = results.map((r) =>
      isFailure(r) ? { host: r.host, error: errorJson(r.error) } : { host: r.host, removed: r.value.removed, kept: r.value.kept, cleaned: r.value.cleaned, errors: r.value.errors.map(errorJson) },
    );
    s.print(JSON.stringify({ hosts }, null, 2) + "\n");
  } else {
    s.print(formatDestroy(results, seconds(s)));
  }
  return exitFor(results, hadErrors);
}

export function formatDestroy(results: readonly HostResult<HostDestroy>[], took: string): string {
  const rows = results.map((r) => {
    if (isFailure(r)) return [r.host, "failed", "-", "-", "-", "-", r.error.oneLine()];
    const { removed, errors } = r.value;
    const n = (list: readonly string[]) => String(list.length);
    return [r.host, errors.length > 0 ? "failed" : "ok", n(removed.container), n(removed.volume), n(removed.dir), n(removed.image), errors[0]?.oneLine() ?? ""];
  });
  const notes = results.flatMap((r) =>
    isFailure(r)
      ? []
      : [
          ...r.value.kept.map((k) => `${r.host}: kept ${k} (still used by a container this run does not remove)\n`),
          ...(r.value.cleaned.length > 0 ? [`${r.host}: removed what neutron's agents left: ${r.value.cleaned.join(", ")}\n`] : []),
          ...r.value.errors.slice(1).map((e) => `${r.host}: ${e.oneLine()}\n`),
        ],
  );
  const failed = results.filter((r) => isFailure(r) || r.value.errors.length > 0).length;
  const table = formatTable(["host", "result", "containers", "volumes", "config dirs", "images", "error"], rows);
  return table + notes.join("") + `destroy: ${results.length} host(s), ${failed} failed in ${took}\n`;
}
