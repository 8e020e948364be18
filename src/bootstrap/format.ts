/**
 * How bootstrap plans and results read: the `--check` plan with diffs, the per-host summary, and
 * the JSON shape. Pure; everything passes through redact() before the CLI prints it.
 */
import type { DeployError } from "../errors.js";
import { tableLines } from "../table.js";
import { redactSecrets as redact } from "../redact.js";
import type { BootstrapOutcome, BootstrapPlanResult } from "./run.js";
import type { BootstrapChange } from "./types.js";

const SYMBOL: Record<string, string> = { create: "+", update: "~", remove: "-", install: "+", start: "▶", restart: "↻", enable: "•" };

export function describeChange(c: BootstrapChange): string {
  const noun = c.kind === "engine" || c.kind === "account" ? "" : `${c.kind} `;
  return `${c.action} ${noun}${c.target} (${c.reason})`;
}

export function formatBootstrapPlan(result: BootstrapPlanResult, secrets: readonly string[]): string {
  const lines = result.warnings.map((w) => `warning: ${w}`);
  for (const plan of result.plans) {
    if (plan.changes.length === 0) {
      lines.push(`${plan.host}: no changes`);
      continue;
    }
    lines.push(`${plan.host}:`);
    for (const c of plan.changes) {
      lines.push(`  ${SYMBOL[c.action] ?? "*"} ${describeChange(c)}`);
      if (c.diff) lines.push(...c.diff.trimEnd().split("\n").map((l) => `      ${l}`));
    }
  }
  for (const [host, error] of result.failed) lines.push(`${host}: FAILED: ${error.oneLine()}`);
  const changing = result.plans.filter((p) => p.changes.length > 0).length;
  lines.push(`plan: ${changing} of ${result.plans.length + result.failed.size} host(s) to change, ${result.failed.size} failed`);
  return redact(lines.join("\n") + "\n", secrets);
}

/** One line per host: what changed (without diffs), then a tally. */
export function formatBootstrapSummary(outcomes: readonly BootstrapOutcome[], failed: ReadonlyMap<string, DeployError>, ms: number, secrets: readonly string[]): string {
  const rows = [
    ...outcomes.map((o) => [o.host, o.status, o.error?.oneLine() ?? (o.changes.map((c) => `${c.action} ${c.target}`).join("; ") || "nothing to change")]),
    ...[...failed].map(([host, e]) => [host, "failed", e.oneLine()]),
  ];
  const lines = tableLines(["host", "result", "changes"], rows);
  const tally = (s: string) => rows.filter((r) => r[1] === s).length;
  lines.push(`${tally("changed")} changed, ${tally("unchanged")} unchanged, ${tally("failed")} failed in ${(ms / 1000).toFixed(1)}s`);
  return redact(lines.join("\n") + "\n", secrets);
}

/** The --json document: plans (with diffs), outcomes when applied, failures by host. */
export function bootstrapJson(result: BootstrapPlanResult, outcomes: readonly BootstrapOutcome[] | undefined, secrets: readonly string[]): string {
  const failed: Record<string, { code: string; message: string }> = {};
  for (const [host, e] of result.failed) failed[host] = { code: e.code, message: e.oneLine() };
  for (const o of outcomes ?? []) if (o.error) failed[o.host] = { code: o.error.code, message: o.error.oneLine() };
  const doc = {
    warnings: result.warnings,
    plan: result.plans.map((p) => ({ host: p.host, changes: p.changes })),
    ...(outcomes === undefined ? {} : { outcomes: outcomes.map((o) => ({ host: o.host, status: o.status, changes: o.changes.map(describeChange), ms: o.ms })) }),
    failed,
  };
  return redact(JSON.stringify(doc, null, 2) + "\n", secrets);
}
