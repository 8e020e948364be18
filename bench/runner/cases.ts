/**
 * One benchmark case: a command measured `repeats` times, each run bracketed by sshd-log snapshots,
 * summarised into median/min/max. The tool-specific parts (how to run, what changed, what the tool
 * says about itself) are passed in.
 */
import { spread } from "./stats.js";
import { combine, delta, snapshot, type LogSource } from "./sshd-log.js";
import type { CaseResult, Sample, SshCounts } from "./types.js";
import { hostsCpuMs, type BenchBed } from "./workspace.js";

export interface CaseSpec {
  readonly id: string;
  readonly tool: CaseResult["tool"];
  readonly title: string;
  readonly bed: BenchBed;
  readonly repeats: number;
  /** runs before each measured run, unmeasured (e.g. writes the one-change override) */
  readonly before?: (run: number) => Promise<void> | void;
  readonly run: () => Promise<Sample>;
  /** how many things the run changed, from its output */
  readonly changed: (s: Sample) => number;
  readonly selfReported?: (s: Sample) => { connectionsPerHost: number; execsPerHost: number } | undefined;
  readonly notes?: readonly string[];
}

export function logSources(bed: BenchBed): LogSource[] {
  return bed.hosts.map((h) => ({ host: h.name, path: bed.sshdLog(h.name) }));
}

export function progress(text: string): void {
  process.stderr.write(`[bench ${new Date().toTimeString().slice(0, 8)}] ${text}\n`);
}

export async function runCase(spec: CaseSpec): Promise<CaseResult> {
  const sources = logSources(spec.bed);
  const samples: Sample[] = [];
  const ssh: SshCounts[] = [];
  const self: { connectionsPerHost: number; execsPerHost: number }[] = [];
  const hostsCpu: number[] = [];
  for (let i = 0; i < spec.repeats; i++) {
    await spec.before?.(i);
    const before = snapshot(sources);
    const cpuBefore = hostsCpuMs(spec.bed);
    const s = await spec.run();
    hostsCpu.push(hostsCpuMs(spec.bed) - cpuBefore);
    ssh.push(delta(before, snapshot(sources)));
    if (s.exitCode !== 0) throw new Error(`${spec.id} run ${i + 1} exited ${s.exitCode}:\n${s.stdout.slice(-2000)}\n${s.stderr.slice(-2000)}`);
    samples.push(s);
    const reported = spec.selfReported?.(s);
    if (reported !== undefined) self.push(reported);
    progress(`${spec.id} run ${i + 1}/${spec.repeats}: ${(s.wallMs / 1000).toFixed(2)} s wall, ${(s.cpuMs / 1000).toFixed(2)} s CPU, ${Math.round(s.maxRssKb / 1024)} MiB`);
  }
  const trees = samples.map((s) => s.treeRssKb).filter((v): v is number => v !== undefined);
  return {
    id: spec.id,
    tool: spec.tool,
    title: spec.title,
    hosts: spec.bed.hosts.length,
    simulated: spec.bed.kind === "light",
    runs: samples.length,
    wallMs: spread(samples.map((s) => s.wallMs)),
    cpuMs: spread(samples.map((s) => s.cpuMs)),
    maxRssKb: spread(samples.map((s) => s.maxRssKb)),
    ...(trees.length > 0 ? { treeRssKb: spread(trees) } : {}),
    ssh: combine(ssh),
    ...(spec.bed.cpuacct.length > 0 ? { hostsCpuMs: spread(hostsCpu) } : {}),
    ...(self.length > 0 ? { selfReported: { connectionsPerHost: Math.max(...self.map((x) => x.connectionsPerHost)), execsPerHost: Math.max(...self.map((x) => x.execsPerHost)) } } : {}),
    changedPerRun: samples.map((s) => spec.changed(s)),
    notes: spec.notes ?? [],
    samples: samples.map(({ stdout: _o, stderr: _e, ...rest }) => rest),
  };
}
