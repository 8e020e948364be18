/**
 * How an upgrade or rollback report reads: a summary table for people, a JSON document for
 * machines. Pure; cli/ writes them. Everything passes through redact().
 */
import type { DeployError } from "../errors.js";
import { redactSecrets as redact } from "../redact.js";
import { tableLines } from "../table.js";
import { runFailed, type ContainerResult, type RunReport } from "./types.js";

function tagOf(image: string): string {
  const slash = image.lastIndexOf("/");
  const colon = image.lastIndexOf(":");
  return colon > slash ? image.slice(colon + 1) : image === "" ? "(none)" : "latest";
}

/** "testbed → t2" for the usual case of one tag change; each distinct change once. */
function imageChange(containers: readonly ContainerResult[]): string {
  return [...new Set(containers.map((c) => `${tagOf(c.from)} → ${tagOf(c.to)}`))].join(", ");
}

function errorLine(e: DeployError | undefined): string {
  return e === undefined ? "" : e.oneLine();
}

export function formatRunSummary(report: RunReport, secrets: readonly string[]): string {
  const rows = [
    ...report.hosts.map((h) => [h.host, h.role, h.batch === 0 ? "-" : String(h.batch), h.status, String(h.containers.length), imageChange(h.containers), errorLine(h.error)]),
    ...[...report.failedBeforeChange].map(([host, e]) => [host, "-", "-", "failed", "0", "", errorLine(e)]),
  ];
  const header = ["host", "role", "batch", "result", "containers", "images", "error"];
  const lines = rows.length > 0 ? tableLines(header, rows) : [`nothing to ${report.verb === "upgrade" ? "upgrade" : "roll back"}`];
  for (const role of report.roles) for (const s of role.steps) lines.push(`${role.role} step on ${s.host}: ${s.description}`);
  const count = (status: string) => report.hosts.filter((h) => h.status === status).length + (status === "failed" ? report.failedBeforeChange.size : 0);
  const done = report.verb === "upgrade" ? "upgraded" : "rolled back";
  lines.push(`${count(done)} ${done}, ${count("failed")} failed, ${count("not reached")} not reached in ${(report.ms / 1000).toFixed(1)}s`);
  if (report.stopped !== undefined) lines.push(`stopped: ${report.stopped}`);
  return redact(lines.join("\n") + "\n", secrets);
}

function errorJson(e: DeployError | undefined): { code: string; message: string } | undefined {
  return e === undefined ? undefined : { code: e.code, message: e.oneLine() };
}

export function runReportJson(report: RunReport, secrets: readonly string[]): string {
  const doc = {
    verb: report.verb,
    ...(report.tag === undefined ? {} : { tag: report.tag }),
    ok: !runFailed(report),
    stopped: report.stopped ?? null,
    roles: report.roles,
    hosts: report.hosts.map((h) => ({ ...h, error: errorJson(h.error) })),
    failedBeforeChange: Object.fromEntries([...report.failedBeforeChange].map(([host, e]) => [host, errorJson(e)])),
    ms: report.ms,
  };
  return redact(JSON.stringify(doc, null, 2) + "\n", secrets);
}
