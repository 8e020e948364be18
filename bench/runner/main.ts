/**
 * The benchmark runner (bench/run.sh calls it on a test bed it brought up). Measures kolla-deploy
 * against the tuned Ansible equivalent on the real test bed, then kolla-deploy alone on simulated
 * light hosts at scale, and writes bench/results.json, bench/RESULTS.md and bench/wall-vs-hosts.svg.
 *
 *   tsx bench/runner/main.ts [--repeats 7] [--ansible-repeats 3] [--scale 50,100,300] [--scale-repeats 5]
 *                            [--layout control3|all] [--skip-ansible] [--skip-scale]
 *   tsx bench/runner/main.ts --render-only     (RESULTS.md and the SVG again from results.json)
 */
import { execFileSync } from "node:child_process";
import { cpus, loadavg, totalmem, release } from "node:os";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { progress } from "./cases.js";
import { renderPlot } from "./plot.js";
import { recordEngine } from "./recording.js";
import { renderResults } from "./report.js";
import { scaleCases } from "./scale.js";
import { measureFloor } from "./floor.js";
import { ansibleCases, kollaCases, restartReference } from "./testbed-cases.js";
import type { BenchResults, CaseResult, MachineNotes } from "./types.js";
import { loadBed, makeWorkspace, remoteHost, REPO, sharedPasswords, type Layout } from "./workspace.js";

function options() {
  const { values } = parseArgs({
    options: {
      repeats: { type: "string", default: "7" },
      "ansible-repeats": { type: "string", default: "3" },
      scale: { type: "string", default: "50,100,300" },
      "scale-repeats": { type: "string", default: "5" },
      layout: { type: "string", default: "control3" },
      "skip-ansible": { type: "boolean", default: false },
      "skip-scale": { type: "boolean", default: false },
      "render-only": { type: "boolean", default: false },
      out: { type: "string", default: join(REPO, "bench", "out") },
      results: { type: "string", default: join(REPO, "bench") },
    },
  });
  if (values.layout !== "control3" && values.layout !== "all") throw new Error("--layout is control3 or all");
  return {
    repeats: Number(values.repeats),
    ansibleRepeats: Number(values["ansible-repeats"]),
    scale: values["skip-scale"] ? [] : values.scale.split(",").filter((s) => s !== "").map(Number),
    scaleRepeats: Number(values["scale-repeats"]),
    layout: values.layout as Layout,
    skipAnsible: values["skip-ansible"],
    renderOnly: values["render-only"],
    out: values.out,
    results: values.results,
    testbedDir: process.env.TESTBED_DIR ?? "/var/tmp/kd-tb-bench",
    lightDir: process.env.LIGHT_DIR ?? "/var/tmp/kd-bench-light",
  };
}

function sh(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "unknown";
  }
}

function machine(startedAt: string, loadBefore: number[]): MachineNotes {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    memGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    ansible: sh("ansible-playbook", ["--version"]).split("\n")[0] ?? "unknown",
    loadBefore,
    loadAfter: loadavg().map((l) => Number(l.toFixed(2))),
    startedAt,
    finishedAt: new Date().toISOString(),
    commit: sh("git", ["-C", REPO, "rev-parse", "--short", "HEAD"]),
    uncommitted: sh("git", ["-C", REPO, "status", "--short", "--untracked-files=no", "--", "src", "roles", "etc", "bin", "tests/images"]).split("\n").filter((l) => l.trim() !== ""),
  };
}

function ratios(cases: readonly CaseResult[]): BenchResults["ratios"] {
  const out: { case: string; ansibleOverKollaDeploy: number }[] = [];
  for (const a of cases.filter((c) => c.tool === "ansible")) {
    const k = cases.find((c) => c.tool === "kolla-deploy" && c.id === a.id.replace(/^ansible-/, "kd-"));
    if (k !== undefined) out.push({ case: a.title, ansibleOverKollaDeploy: a.wallMs.median / k.wallMs.median });
  }
  return out;
}

function writeOutputs(dir: string, results: BenchResults): void {
  writeFileSync(join(dir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(dir, "wall-vs-hosts.svg"), renderPlot(results));
  writeFileSync(join(dir, "RESULTS.md"), renderResults(results));
  progress(`wrote ${join(dir, "RESULTS.md")}, results.json and wall-vs-hosts.svg`);
}

async function main(): Promise<void> {
  const o = options();
  if (o.renderOnly) return writeOutputs(o.results, JSON.parse(readFileSync(join(o.results, "results.json"), "utf8")) as BenchResults);
  const startedAt = new Date().toISOString();
  const loadBefore = loadavg().map((l) => Number(l.toFixed(2)));
  mkdirSync(o.out, { recursive: true, mode: 0o700 });
  const bed = loadBed("testbed", o.testbedDir);
  const registry = `${bed.gateway}:5000`;
  const passwords = sharedPasswords(o.out);
  const ws = makeWorkspace(bed, join(o.out, "ws-testbed"), { registry, layout: "all", passwords });
  const cases: CaseResult[] = await kollaCases(bed, ws, { ...o, out: o.out });
  progress(`floor: node start-up and CLI start-up, ${o.repeats} times each`);
  const floor = await measureFloor(o.repeats);
  progress(`restart reference: docker restart on the hosts themselves, ${o.repeats} times`);
  const restartReferenceMs = await restartReference(bed, o.repeats);
  if (!o.skipAnsible) cases.push(...(await ansibleCases(bed, ws, { ...o, out: o.out })));
  if (o.scale.length > 0) {
    const recording = join(o.out, "recording");
    const n = await recordEngine(remoteHost(bed, bed.hosts[0]!.name), recording);
    progress(`recorded ${n} containers on ${bed.hosts[0]!.name} for the simulator`);
    cases.push(...(await scaleCases({ counts: o.scale, repeats: o.scaleRepeats, layout: o.layout, lightDir: o.lightDir, recording, registry, passwords, out: o.out })));
  }
  const results: BenchResults = { machine: machine(startedAt, loadBefore), floor, cases, restartReferenceMs, ratios: ratios(cases) };
  writeOutputs(o.results, results);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
