/**
 * Cases 1–3 on the real 3-host test bed: no-change and one-change `reconfigure` by kolla-deploy,
 * then the same two by the tuned Ansible equivalent, in the same run. Leaves the bed as a plain
 * deploy left it (the override removed, reconfigured back).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ansibleChanged, ansiblePlaybook, prepareAnsible } from "./ansible.js";
import { progress, runCase } from "./cases.js";
import { kollaChanged, kollaDeploy, kollaDeployOk, kollaSelfReported } from "./kolla.js";
import { sshRun } from "./remote.js";
import { spread } from "./stats.js";
import type { CaseResult, Spread } from "./types.js";
import { ONE_CHANGE_CONTAINER, remoteHost, writeOverride, type BenchBed, type Workspace } from "./workspace.js";

export interface TestbedOptions {
  readonly repeats: number;
  readonly ansibleRepeats: number;
  readonly skipAnsible: boolean;
  readonly out: string;
}

export interface TestbedResults {
  readonly cases: CaseResult[];
  readonly restartReferenceMs: Spread;
}

export async function kollaCases(bed: BenchBed, ws: Workspace, opts: TestbedOptions): Promise<CaseResult[]> {
  const n = bed.hosts.length;
  progress(`deploy on ${n} test-bed hosts (set-up, unmeasured)`);
  await kollaDeployOk(ws, "deploy");
  await kollaDeployOk(ws, "reconfigure");
  const kd = { tool: "kolla-deploy" as const, bed, repeats: opts.repeats, changed: kollaChanged, selfReported: kollaSelfReported };
  const noChange = await runCase({ ...kd, id: `kd-nochange-${n}`, title: `no-change reconfigure, ${n} hosts`, run: () => kollaDeploy(ws, "reconfigure") });
  const oneChange = await runCase({
    ...kd,
    id: `kd-onechange-${n}`,
    title: `one-change reconfigure (placement.conf option → ${ONE_CHANGE_CONTAINER} restarted), ${n} hosts`,
    before: (i) => writeOverride(ws, `kd${i}`),
    run: () => kollaDeploy(ws, "reconfigure"),
  });
  writeOverride(ws, undefined);
  await kollaDeployOk(ws, "reconfigure");
  return [noChange, oneChange];
}

/** The restarted container's own restart time: `docker restart` timed on each host, all hosts at once. */
export async function restartReference(bed: BenchBed, repeats: number): Promise<Spread> {
  const script = `s=$(date +%s%N); docker restart --time 60 ${ONE_CHANGE_CONTAINER} >/dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000000 ))`;
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const perHost = await Promise.all(bed.hosts.map((h) => sshRun(remoteHost(bed, h.name), script)));
    times.push(Math.max(...perHost.map((t) => Number(t.trim()))));
  }
  return spread(times);
}

export async function ansibleCases(bed: BenchBed, ws: Workspace, opts: TestbedOptions): Promise<CaseResult[]> {
  const n = bed.hosts.length;
  const dir = join(opts.out, "ansible");
  progress("ansible: rendering kolla-deploy's desired state into host_vars (unmeasured)");
  let setup = await prepareAnsible(ws, bed, dir);
  progress("ansible: warm-up run (unmeasured; converges anything the baseline sees differently)");
  const warm = await ansiblePlaybook(setup);
  writeFileSync(join(dir, "warm-up.log"), warm.stdout);
  if (warm.exitCode !== 0) throw new Error(`ansible warm-up failed:\n${warm.stdout.slice(-4000)}\n${warm.stderr.slice(-2000)}`);
  const notes = [`forks=${setup.forks}, pipelining, ControlPersist=60s (fresh ControlPath per run), gathering=explicit, interpreter_python set; warm-up changed ${ansibleChanged(warm)} item(s) (out/ansible/warm-up.log)`];
  const an = { tool: "ansible" as const, bed, repeats: opts.ansibleRepeats, changed: ansibleChanged, notes };
  const noChange = await runCase({ ...an, id: `ansible-nochange-${n}`, title: `no-change reconfigure, ${n} hosts`, run: () => ansiblePlaybook(setup) });
  const oneChange = await runCase({
    ...an,
    id: `ansible-onechange-${n}`,
    title: `one-change reconfigure (placement.conf option → ${ONE_CHANGE_CONTAINER} restarted), ${n} hosts`,
    before: async (i) => {
      writeOverride(ws, `an${i}`);
      setup = await prepareAnsible(ws, bed, dir);
    },
    run: () => ansiblePlaybook(setup),
  });
  progress("restoring the bed (override removed; Ansible and kolla-deploy both converge back)");
  writeOverride(ws, undefined);
  setup = await prepareAnsible(ws, bed, dir);
  await ansiblePlaybook(setup);
  await kollaDeployOk(ws, "reconfigure");
  return [noChange, oneChange];
}
