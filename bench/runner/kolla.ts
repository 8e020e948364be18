/** kolla-deploy runs: the compiled CLI (bin/kolla-deploy), measured as an operator would run it. */
import { readFileSync } from "node:fs";
import { measure } from "./measure.js";
import type { Sample } from "./types.js";
import { KD, type Workspace } from "./workspace.js";

export function kollaDeploy(ws: Workspace, verb: string, ...extra: string[]): Promise<Sample> {
  return measure([KD, verb, "-i", ws.inventory, "--configdir", ws.configdir, ...extra], { env: ws.env });
}

/** Runs a verb unmeasured and insists it worked (set-up and restore steps). */
export async function kollaDeployOk(ws: Workspace, verb: string, ...extra: string[]): Promise<Sample> {
  const s = await kollaDeploy(ws, verb, ...extra);
  if (s.exitCode !== 0) throw new Error(`kolla-deploy ${verb} failed (${s.exitCode}):\n${s.stdout.slice(-3000)}\n${s.stderr.slice(-3000)}`);
  return s;
}

/** "N changed, M unchanged, F failed in T" → hosts changed; a --json run counts container actions. */
export function kollaChanged(s: Sample): number {
  const m = /(\d+) changed, \d+ unchanged, \d+ failed/.exec(s.stdout);
  return m === null ? Number.NaN : Number(m[1]);
}

/** The run log's "run end" record: connections and execs per host as kolla-deploy counted them. */
export function kollaSelfReported(s: Sample): { connectionsPerHost: number; execsPerHost: number } | undefined {
  const path = /run log: (\S+)/.exec(s.stderr)?.[1];
  if (path === undefined) return undefined;
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (!line.includes('"run end"')) continue;
    const stats = (JSON.parse(line) as { stats: { hosts: Record<string, { connections: number; execs: number }> } }).stats;
    const hosts = Object.values(stats.hosts);
    return {
      connectionsPerHost: Math.max(0, ...hosts.map((h) => h.connections)),
      execsPerHost: Math.max(0, ...hosts.map((h) => h.execs)),
    };
  }
  return undefined;
}
