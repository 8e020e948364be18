/**
 * `prune-images --yes-i-really-really-mean-it`: removes every image no container uses on the
 * selected hosts and reports what went.
 */
import type { Command } from "commander";
import { isFailure, type HostResult } from "../../apply/fanout.js";
import { pruneHosts, type HostPrune } from "../../lifecycle/prune.js";
import {
  CONFIRM_FLAG, lifecycleCommand, requireConfirmation, runOptions,
  type CommonFlags, type ConfirmFlags, type ForksFlags, type LockFlags, type TransportFlags,
} from "../common.js";
import { errorJson, exitFor, runSession, seconds, type Session } from "../session.js";
import { formatTable } from "../../table.js";

type PruneFlags = CommonFlags & TransportFlags & ForksFlags & LockFlags & ConfirmFlags;

export function register(program: Command): void {
  lifecycleCommand(program, "prune-images", "remove every image no container uses on the selected hosts (the next deploy pulls what it needs)", { changes: true })
    .option(CONFIRM_FLAG, "confirm: unused images are deleted")
    .action(async (flags: PruneFlags) => {
      requireConfirmation(flags, "prune-images", "deletes every unused image");
      process.exitCode = await runSession("prune-images", runOptions(flags), runPrune, flags);
    });
}

async function runPrune(s: Session): Promise<number> {
  const results = await pruneHosts({ p: s.p, pool: s.pool, forks: s.forks, progress: s.progress });
  if (s.common.json) {
    const hosts = results.map((r) => (isFailure(r) ? { host: r.host, error: errorJson(r.error) } : { host: r.host, ...r.value }));
    s.print(JSON.stringify({ hosts }, null, 2) + "\n");
  } else {
    s.print(formatPrune(results, seconds(s)));
  }
  return exitFor(results);
}

export function formatPrune(results: readonly HostResult<HostPrune>[], took: string): string {
  const rows = results.map((r) =>
    isFailure(r) ? [r.host, "failed", "-", "-", r.error.oneLine()] : [r.host, "ok", String(r.value.removed.length), r.value.reclaimed ?? "-", ""],
  );
  const removed = results.flatMap((r) => (isFailure(r) ? [] : r.value.removed.map((name) => `${r.host}: removed ${name}\n`)));
  const failed = results.filter(isFailure).length;
  const total = removed.length;
  return formatTable(["host", "result", "removed", "reclaimed", "error"], rows) + removed.join("") + `prune-images: ${total} image(s) removed on ${results.length} host(s), ${failed} failed in ${took}\n`;
}
