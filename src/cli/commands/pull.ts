/**
 * `pull`: pulls the images of the enabled services on the hosts that run them, every host at
 * once, with retries; a summary per host; exit 1 if any pull failed.
 */
import type { Command } from "commander";
import { isFailure, type HostResult } from "../../apply/fanout.js";
import { pullHosts, type HostPull } from "../../lifecycle/pull.js";
import { lifecycleCommand, runOptions, type CommonFlags, type ForksFlags, type TransportFlags } from "../common.js";
import { errorJson, exitFor, runSession, seconds, type Session } from "../session.js";
import { formatTable } from "../../table.js";

type PullFlags = CommonFlags & TransportFlags & ForksFlags;

export function register(program: Command): void {
  lifecycleCommand(program, "pull", "pull the images of the enabled services onto the hosts that run them (always: tags are mutable), with retries").action(
    async (flags: PullFlags) => {
      process.exitCode = await runSession("pull", runOptions(flags), runPull);
    },
  );
}

async function runPull(s: Session): Promise<number> {
  const results = await pullHosts({ p: s.p, pool: s.pool, forks: s.forks, progress: s.progress });
  const anyFailed = (v: HostPull) => v.failed.length > 0;
  if (s.common.json) {
    const hosts = results.map((r) =>
      isFailure(r)
        ? { host: r.host, error: errorJson(r.error) }
        : { host: r.host, pulled: r.value.pulled, failed: r.value.failed.map((f) => ({ image: f.image, error: errorJson(f.error) })) },
    );
    s.print(JSON.stringify({ hosts }, null, 2) + "\n");
  } else {
    s.print(formatPull(results, seconds(s)));
  }
  return exitFor(results, anyFailed);
}

export function formatPull(results: readonly HostResult<HostPull>[], took: string): string {
  const rows = results.map((r) =>
    isFailure(r) ? [r.host, "failed", "-", "-", r.error.oneLine()] : [r.host, r.value.failed.length > 0 ? "failed" : "ok", String(r.value.pulled.length), String(r.value.failed.length), r.value.failed[0]?.error.oneLine() ?? ""],
  );
  const more = results.flatMap((r) => (isFailure(r) ? [] : r.value.failed.slice(1).map((f) => `${r.host}: ${f.error.oneLine()}\n`)));
  const pulled = results.reduce((n, r) => n + (isFailure(r) ? 0 : r.value.pulled.length), 0);
  const failed = results.reduce((n, r) => n + (isFailure(r) ? 0 : r.value.failed.length), 0);
  const hostsFailed = results.filter(isFailure).length;
  const summary = `pull: ${pulled} image(s) pulled, ${failed} failed on ${results.length} host(s)` + (hostsFailed > 0 ? `, ${hostsFailed} host(s) failed` : "") + ` in ${took}\n`;
  return formatTable(["host", "result", "pulled", "failed", "error"], rows) + more.join("") + summary;
}
