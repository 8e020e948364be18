/**
 * Case 4: no-change reconfigure on N simulated light hosts (bench/lighthosts.sh): sshd in a network
 * namespace per host, `docker` answered by bench/sim/docker from outputs recorded on a real test-bed
 * host. A SIMULATION for scale only: it measures the controller and the SSH fan-out, not engines.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { progress, runCase } from "./cases.js";
import { kollaChanged, kollaDeploy, kollaDeployOk, kollaSelfReported } from "./kolla.js";
import type { CaseResult } from "./types.js";
import { loadBed, makeWorkspace, REPO, type Layout } from "./workspace.js";

export interface ScaleOptions {
  readonly counts: readonly number[];
  readonly repeats: number;
  readonly layout: Layout;
  readonly lightDir: string;
  readonly recording: string;
  readonly registry: string;
  readonly passwords: string;
  readonly out: string;
}

function lighthosts(lightDir: string, ...args: string[]): void {
  const r = spawnSync("bash", [join(REPO, "bench", "lighthosts.sh"), ...args], { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, LIGHT_DIR: lightDir } });
  if (r.status !== 0) throw new Error(`lighthosts.sh ${args.join(" ")} failed (${r.status})`);
}

export async function scaleCases(opts: ScaleOptions): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  try {
    for (const n of opts.counts) {
      progress(`light hosts: up ${n} (simulation)`);
      lighthosts(opts.lightDir, "up", String(n), opts.recording);
      const bed = loadBed("light", opts.lightDir);
      const ws = makeWorkspace(bed, join(opts.out, `ws-light-${n}`), { registry: opts.registry, layout: opts.layout, passwords: opts.passwords });
      progress(`light hosts: genconfig + warm-up reconfigure on ${n} (unmeasured)`);
      await kollaDeployOk(ws, "genconfig");
      await kollaDeployOk(ws, "reconfigure");
      results.push(
        await runCase({
          id: `kd-nochange-${n}-sim`,
          tool: "kolla-deploy",
          title: `no-change reconfigure, ${n} simulated hosts (${opts.layout === "control3" ? "3 controllers + compute" : "every host in every group"})`,
          bed,
          repeats: opts.repeats,
          run: () => kollaDeploy(ws, "reconfigure"),
          changed: kollaChanged,
          selfReported: kollaSelfReported,
          notes: ["simulated hosts: sshd per network namespace, container engine CLI answered from recorded outputs"],
        }),
      );
    }
  } finally {
    lighthosts(opts.lightDir, "down");
  }
  return results;
}
