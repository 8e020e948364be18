/**
 * What each host's run history (lock/) says about an upgrade or rollback: per host, ok or failed
 * and the names of what changed, merged over the roles. Pure.
 */
import type { HostChanges, RunResult } from "../lock/index.js";
import type { RunReport } from "./types.js";

export interface HostHistoryFacts {
  readonly result: RunResult;
  readonly error?: string;
  readonly changes: HostChanges;
}

interface Draft {
  failed: boolean;
  error?: string;
  files: string[];
  created: string[];
  recreated: string[];
  restarted: string[];
  steps: string[];
}

function draftFor(drafts: Map<string, Draft>, host: string): Draft {
  let d = drafts.get(host);
  if (d === undefined) {
    d = { failed: false, files: [], created: [], recreated: [], restarted: [], steps: [] };
    drafts.set(host, d);
  }
  return d;
}

export function hostHistories(report: RunReport): Map<string, HostHistoryFacts> {
  const drafts = new Map<string, Draft>();
  for (const h of report.hosts) {
    const d = draftFor(drafts, h.host);
    if (h.status === "failed") {
      d.failed = true;
      d.error ??= h.error?.code;
    }
    d.files.push(...h.files);
    for (const c of h.containers.filter((x) => x.startedAt !== undefined)) {
      if (c.action === "create") d.created.push(c.container);
      else if (c.action === "restart") d.restarted.push(c.container);
      else d.recreated.push(c.container);
    }
  }
  for (const role of report.roles) for (const s of role.steps) draftFor(drafts, s.host).steps.push(`${role.role}: ${s.description}`);
  for (const [host, e] of report.failedBeforeChange) Object.assign(draftFor(drafts, host), { failed: true, error: e.code });
  return new Map([...drafts].map(([host, d]) => [host, {
    result: d.failed ? "failed" as const : "ok" as const,
    ...(d.error === undefined ? {} : { error: d.error }),
    changes: { files: d.files, created: d.created, recreated: d.recreated, restarted: d.restarted, steps: d.steps },
  }]));
}
