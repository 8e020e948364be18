/**
 * How plans and results look to people: `--check` plans with reasons and diffs, and the summary
 * table at the end of a run. Everything printed passes through redact() first.
 */
import type { HostOutcome } from "../apply/executor.js";
import type { DeployError } from "../errors.js";
import { redactSecrets as redact } from "../redact.js";
import { quoteArgv } from "../exec/quote.js";
import { redactDeep, runItemsByHost, type JsonRunItem } from "../plan/json.js";
import { hostHasChanges, type HostPlan, type Plan } from "../plan/types.js";
import { tableLines } from "../table.js";

const SYMBOL = { create: "+", update: "~", recreate: "±", restart: "↻" } as const;

function hostSection(h: HostPlan): string[] {
  if (!hostHasChanges(h)) return [`${h.host}: no changes`];
  const lines = [`${h.host}:`];
  for (const f of h.files.filter((x) => x.action !== "unchanged")) {
    lines.push(`  ${SYMBOL[f.action as "create" | "update"]} file ${f.path} (${f.reasons.join("; ")})`);
    if (f.diff) lines.push(...f.diff.trimEnd().split("\n").map((l) => `      ${l}`));
  }
  for (const s of h.bootstrap) lines.push(`  ▸ ${s.role}: ${s.description} (${s.reason})`);
  for (const c of h.containers.filter((x) => x.action !== "none")) {
    lines.push(`  ${SYMBOL[c.action as "create" | "recreate" | "restart"]} ${c.action} container ${c.container} (${c.reasons.join("; ")})`);
  }
  return lines;
}

/** `-v`: what apply will run on the host, in order (secrets redacted on the data first). */
function runSection(items: readonly JsonRunItem[]): string[] {
  const lines: string[] = items.length === 0 ? [] : ["  runs:"];
  for (const item of items) {
    lines.push(`    [${item.phase}] ${item.what}`);
    for (const c of item.commands ?? []) {
      const stdin = c.stdin === undefined ? "" : ` <<< ${c.stdin.split("\n").filter((l) => l !== "").length} line(s) on stdin`;
      lines.push(`      $ ${quoteArgv(c.argv)}${stdin}`);
    }
    for (const u of item.uploads ?? []) lines.push(`      write ${u.path} (${u.mode} ${u.owner}:${u.group})`);
    if (item.record !== undefined) lines.push(`      write ${item.record}`);
  }
  return lines;
}

export function formatPlan(plan: Plan, failed: ReadonlyMap<string, DeployError>, secrets: readonly string[], verbose = false): string {
  const lines = [...plan.warnings.map((w) => `warning: ${w}`)];
  const runs = verbose ? (redactDeep(Object.fromEntries(runItemsByHost(plan)), secrets) as Record<string, JsonRunItem[]>) : {};
  for (const h of plan.hosts) lines.push(...hostSection(h), ...runSection(runs[h.host] ?? []));
  for (const [host, error] of failed) lines.push(`${host}: FAILED: ${error.oneLine()}`);
  const counts = countChanges(plan);
  lines.push(
    `plan: ${counts.files} file(s) to write, ${counts.create} container(s) to create, ${counts.recreate} to recreate, ` +
      `${counts.restart} to restart, ${counts.steps} bootstrap step(s)`,
  );
  return redact(lines.join("\n") + "\n", secrets);
}

export function countChanges(plan: Plan): { files: number; create: number; recreate: number; restart: number; steps: number } {
  const containers = plan.hosts.flatMap((h) => h.containers);
  return {
    files: plan.hosts.flatMap((h) => h.files).filter((f) => f.action !== "unchanged").length,
    create: containers.filter((c) => c.action === "create").length,
    recreate: containers.filter((c) => c.action === "recreate").length,
    restart: containers.filter((c) => c.action === "restart").length,
    steps: plan.hosts.flatMap((h) => h.bootstrap).length,
  };
}

export function formatSummary(outcomes: readonly HostOutcome[], failedBeforeApply: ReadonlyMap<string, DeployError>, ms: number, secrets: readonly string[]): string {
  const rows = [
    ...outcomes.map((o) => [o.host, o.status, String(o.filesWritten), String(o.containersChanged), String(o.steps), o.error?.oneLine() ?? ""]),
    ...[...failedBeforeApply].map(([host, e]) => [host, "failed", "0", "0", "0", e.oneLine()]),
  ];
  const header = ["host", "result", "files", "containers", "steps", "error"];
  const tally = (s: string) => rows.filter((r) => r[1] === s).length;
  const lines = [...tableLines(header, rows), `${tally("changed")} changed, ${tally("unchanged")} unchanged, ${tally("failed")} failed in ${(ms / 1000).toFixed(1)}s`];
  return redact(lines.join("\n") + "\n", secrets);
}
