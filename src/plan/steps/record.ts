/**
 * The host record a run leaves behind (state.json: which config each container runs with, which
 * bootstrap steps succeeded). The plan holds the full-success record; apply keeps only the
 * entries whose change succeeded. Entries that did not change keep their old text, so a run that
 * changed nothing writes nothing. Pure.
 */
import { serializeRecord, STATE_FILE, type ContainerRecord, type HostRecord } from "../record.js";
import type { BootstrapChange, ContainerChange, RecordWrite } from "../types.js";

function sameConfig(a: ContainerRecord | undefined, b: { image: string; configHash: string }): boolean {
  return a !== undefined && a.image === b.image && a.configHash === b.configHash;
}

/** What the record becomes if every change succeeds; undefined when it stays as it is. */
export function recordWrite(base: HostRecord, containers: readonly ContainerChange[], steps: readonly BootstrapChange[]): RecordWrite | undefined {
  const entries: Record<string, RecordWrite["containers"][string]> = {};
  for (const c of containers) {
    const entry = { image: c.spec.image, configHash: c.configHash, fileHashes: c.fileHashes };
    if (!sameConfig(base.containers[c.container], entry)) entries[c.container] = { ...entry, afterChange: c.action !== "none" };
  }
  const stepImages = Object.fromEntries(steps.map((s) => [s.step, s.image]));
  if (Object.keys(entries).length === 0 && steps.length === 0) return undefined;
  return { path: STATE_FILE, base, containers: entries, steps: stepImages };
}

export interface Applied {
  /** containers whose change completed */
  readonly containers: ReadonlySet<string>;
  /** bootstrap step ids that succeeded */
  readonly steps: ReadonlySet<string>;
}

/** The record's text after the run, or undefined when nothing of it changed. */
export function recordAfter(write: RecordWrite, applied: Applied, now: string): string | undefined {
  const containers = { ...write.base.containers };
  for (const [name, { afterChange, ...entry }] of Object.entries(write.containers)) {
    if (afterChange && !applied.containers.has(name)) continue;
    const old = containers[name];
    // What an upgrade saved for rollback outlives later deploys; a failed health gate does not.
    containers[name] = { ...entry, updatedAt: now, ...(old?.previous ? { previous: old.previous } : {}) };
  }
  const bootstrap = { ...write.base.bootstrap };
  for (const [id, image] of Object.entries(write.steps)) if (applied.steps.has(id)) bootstrap[id] = { image, at: now };
  const text = serializeRecord({ version: 1, containers, bootstrap });
  return text === serializeRecord(write.base) ? undefined : text;
}
