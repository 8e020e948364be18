/**
 * What a run changed on a host, for its history line: read from the plan and the executor's outcome.
 * It lives in cli/, which sees both, so that lock/ (below apply and plan) only stores the result.
 */
import type { HostOutcome } from "../apply/executor.js";
import { noChanges, type HostChanges } from "../lock/index.js";
import type { Plan } from "../plan/types.js";

/** What the executor actually did on one host: files only if they were written, containers and steps that completed. */
export function hostChanges(whole: Plan, outcome: HostOutcome): HostChanges {
  const plan = whole.hosts.find((h) => h.host === outcome.host);
  if (plan === undefined) return noChanges();
  const written = outcome.filesWritten > 0 ? plan.files.filter((f) => f.action !== "unchanged").map((f) => f.path) : [];
  const applied = plan.containers.filter((c) => c.action !== "none" && outcome.appliedContainers.has(c.container));
  const named = (action: string) => applied.filter((c) => c.action === action).map((c) => c.container);
  const steps = plan.bootstrap.filter((s) => outcome.appliedSteps.has(s.step)).map((s) => `${s.role}: ${s.description}`);
  return { files: written, created: named("create"), recreated: named("recreate"), restarted: named("restart"), steps };
}
