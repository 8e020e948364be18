/**
 * How a prechecks report reads: a host × check table (ok / FAIL / -), then one line per problem
 * (host, what, hint), then a verdict; or the same as JSON. Pure; the CLI prints and redacts.
 */
import type { DeployError } from "../errors.js";
import { tableLines } from "../table.js";
import { DEPLOYMENT_CHECKS, HOST_CHECKS, type CheckOutcome, type PrecheckReport } from "./types.js";

/** True when every check passed and every host answered. */
export function reportPassed(report: PrecheckReport): boolean {
  const checks = [...report.deployment, ...report.hosts.flatMap((h) => h.checks)];
  return report.hosts.every((h) => h.unreachable === undefined) && checks.every((c) => c.status !== "fail");
}

const CELL = { ok: "ok", fail: "FAIL", "n/a": "-" } as const;

function cellsOf(checks: readonly CheckOutcome[], names: readonly string[]): string[] {
  return names.map((name) => {
    const c = checks.find((x) => x.check === name);
    return c === undefined ? "?" : CELL[c.status];
  });
}

export function formatReport(report: PrecheckReport): string {
  // An unreachable host's row says so across the columns, without widening them.
  const rows = report.hosts.map((h) => [h.host, ...(h.unreachable === undefined ? cellsOf(h.checks, HOST_CHECKS) : HOST_CHECKS.map(() => ""))]);
  const lines = tableLines(["host", ...HOST_CHECKS], rows).map((line, i) => (report.hosts[i - 1]?.unreachable === undefined ? line : `${line}  UNREACHABLE`));
  const deployment = DEPLOYMENT_CHECKS.map((name, i) => `${name} ${cellsOf(report.deployment, DEPLOYMENT_CHECKS)[i]}`);
  lines.push(`deployment host: ${deployment.join(", ")}`);
  const problems = problemLines(report);
  if (problems.length > 0) lines.push("", ...problems);
  lines.push("", verdict(report));
  return lines.join("\n") + "\n";
}

function problemLines(report: PrecheckReport): string[] {
  const lines: string[] = [];
  for (const c of report.deployment) lines.push(...c.problems.map((e) => `FAIL ${c.check}: ${e.oneLine()}`));
  for (const h of report.hosts) {
    if (h.unreachable !== undefined) lines.push(`UNREACHABLE ${h.host}: ${h.unreachable.oneLine()}`);
    for (const c of h.checks) lines.push(...c.problems.map((e) => `FAIL ${c.check}: ${e.oneLine()}`));
  }
  return lines;
}

function verdict(report: PrecheckReport): string {
  if (reportPassed(report)) return `prechecks passed on ${report.hosts.length} host(s)`;
  const problems = [...report.deployment, ...report.hosts.flatMap((h) => h.checks)].reduce((n, c) => n + c.problems.length, 0);
  const unreachable = report.hosts.filter((h) => h.unreachable !== undefined).length;
  const failedHosts = report.hosts.filter((h) => h.checks.some((c) => c.status === "fail")).length;
  return `prechecks FAILED: ${problems} problem(s) on ${failedHosts} host(s)${unreachable > 0 ? `, ${unreachable} unreachable` : ""}`;
}

function problemJson(e: DeployError): { code: string; message: string; hint: string } {
  return { code: e.code, message: e.oneLine(), hint: e.hint };
}

function checksJson(checks: readonly CheckOutcome[]): Record<string, unknown> {
  return Object.fromEntries(checks.map((c) => [c.check, { status: c.status, note: c.note, problems: c.problems.map(problemJson) }]));
}

/** The report as a JSON-ready value: {passed, deployment, hosts: [{host, unreachable?, checks}]}. */
export function reportJson(report: PrecheckReport): unknown {
  return {
    passed: reportPassed(report),
    deployment: checksJson(report.deployment),
    hosts: report.hosts.map((h) => ({
      host: h.host,
      ...(h.unreachable === undefined ? {} : { unreachable: problemJson(h.unreachable) }),
      checks: checksJson(h.checks),
    })),
  };
}
