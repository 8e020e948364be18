/**
 * After the containers of a host are done, its record (state.json) says which config each
 * container now runs with, and which bootstrap steps succeeded. Entries that did not change keep
 * their old text, so a run that changed nothing rewrites nothing.
 */
import type { ContainerRecord, HostRecord } from "../plan/record.js";
import { serializeRecord, STATE_FILE } from "../plan/record.js";
import type { ApplyEnv } from "./executor.js";

function sameConfig(a: ContainerRecord | undefined, b: Omit<ContainerRecord, "updatedAt">): boolean {
  return a !== undefined && a.image === b.image && a.configHash === b.configHash;
}

export function nextRecord(env: ApplyEnv, host: string): HostRecord | undefined {
  const state = env.result.states.get(host);
  const hostPlan = env.result.plan.hosts.find((h) => h.host === host);
  const outcome = env.outcomes.get(host);
  if (state === undefined || outcome === undefined) return undefined;
  const now = new Date().toISOString();
  const containers = { ...state.record.containers };
  for (const c of hostPlan?.containers ?? []) {
    if (c.action !== "none" && !outcome.appliedContainers.has(c.container)) continue;
    const entry = { image: c.spec.image, configHash: c.configHash, fileHashes: c.fileHashes };
    const old = containers[c.container];
    // What an upgrade saved for rollback outlives later deploys; a failed health gate does not.
    if (!sameConfig(old, entry)) containers[c.container] = { ...entry, updatedAt: now, ...(old?.previous ? { previous: old.previous } : {}) };
  }
  const bootstrap = { ...state.record.bootstrap };
  for (const s of env.result.steps) {
    if (s.host === host && outcome.appliedSteps.has(s.id)) bootstrap[s.id] = { image: s.image, at: now };
  }
  const next: HostRecord = { version: 1, containers, bootstrap };
  return serializeRecord(next) === serializeRecord(state.record) ? undefined : next;
}

export async function recordUpdate(env: ApplyEnv): Promise<void> {
  await Promise.all(
    [...env.outcomes.keys()].map((host) =>
      env.forks.add(async () => {
        const next = nextRecord(env, host);
        if (next === undefined) return;
        try {
          await env.pool.get(host).putFiles([{ path: STATE_FILE, content: serializeRecord(next), mode: 0o600, owner: "root", group: "root" }], { become: true });
        } catch (error) {
          env.progress.failed(host, "record state", (error as Error).message);
        }
      }),
    ),
  );
}
