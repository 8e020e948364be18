/**
 * Runs one command and measures it: wall time here (hrtime around spawn → exit), CPU and peak RSS
 * from GNU time (getrusage of everything the command waited for), and optionally the peak summed
 * RSS of its whole process tree, sampled from /proc (Ansible forks workers and ssh clients, so its
 * largest single process understates what it holds).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Sample } from "./types.js";

export interface MeasureOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly sampleTree?: boolean;
}

const PAGE_KB = 4;

export async function measure(argv: readonly string[], opts: MeasureOptions = {}): Promise<Sample> {
  const dir = mkdtempSync(join(tmpdir(), "kd-bench-time-"));
  const timeFile = join(dir, "time");
  const started = process.hrtime.bigint();
  const child = spawn("/usr/bin/time", ["-f", "%U %S %M", "-o", timeFile, "--", ...argv], {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on("data", (b: Buffer) => out.push(b));
  child.stderr.on("data", (b: Buffer) => err.push(b));
  let treePeak = 0;
  const sampler = opts.sampleTree && child.pid !== undefined ? setInterval(() => (treePeak = Math.max(treePeak, treeRssKb(child.pid!))), 100) : undefined;
  const exitCode = await new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? 255)));
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (sampler !== undefined) clearInterval(sampler);
  const [user = "0", sys = "0", rss = "0"] = lastLine(readFileSync(timeFile, "utf8")).split(" ");
  rmSync(dir, { recursive: true, force: true });
  return {
    wallMs,
    cpuMs: (Number(user) + Number(sys)) * 1000,
    maxRssKb: Number(rss),
    ...(opts.sampleTree ? { treeRssKb: treePeak } : {}),
    exitCode,
    stdout: Buffer.concat(out).toString("utf8"),
    stderr: Buffer.concat(err).toString("utf8"),
  };
}

/** GNU time prefixes "Command exited with non-zero status N" on failure; the numbers are last. */
function lastLine(text: string): string {
  const lines = text.trim().split("\n");
  return lines[lines.length - 1] ?? "";
}

/** Summed resident memory of `root` and all its descendants right now. */
export function treeRssKb(root: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // fields after the ")" that ends the command name: state ppid ... ; rss is field 24
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const pid = Number(name);
      const ppid = Number(fields[1]);
      rss.set(pid, Number(fields[21]) * PAGE_KB);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  const todo = [root];
  while (todo.length > 0) {
    const pid = todo.pop()!;
    total += rss.get(pid) ?? 0;
    todo.push(...(children.get(pid) ?? []));
  }
  return total;
}
