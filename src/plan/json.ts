/**
 * The plan as JSON (`--check --json`, `--json`): every host's changes with their reasons, and under
 * `run` every command and upload apply will run there, in order. Secrets are redacted on the data,
 * before serialising, so an escaped form in the JSON text cannot slip past; file contents and the
 * commands' secret lists are left out.
 */
import { redactSecrets } from "../redact.js";
import { schedule, stepsOfHost, type ScheduledStep } from "./schedule.js";
import type { HostPlan, Plan, PlannedCommand } from "./types.js";

export interface JsonCommand {
  readonly argv: readonly string[];
  readonly stdin?: string;
  readonly become?: boolean;
  readonly timeoutMs?: number;
  readonly acceptCodes?: readonly number[];
  readonly acceptOutput?: string;
  readonly retry?: PlannedCommand["retry"];
  readonly cleanup?: boolean;
}

export interface JsonRunItem {
  readonly phase: string;
  readonly what: string;
  readonly commands?: readonly JsonCommand[];
  readonly uploads?: readonly { path: string; sha256: string; mode: string; owner: string; group: string }[];
  readonly record?: string;
}

function commandJson(c: PlannedCommand): JsonCommand {
  const { argv, stdin, become, timeoutMs } = c.command;
  return {
    argv, ...(stdin === undefined ? {} : { stdin: String(stdin) }), ...(become === undefined ? {} : { become }), ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(c.acceptCodes ? { acceptCodes: c.acceptCodes } : {}), ...(c.acceptOutput ? { acceptOutput: c.acceptOutput } : {}),
    ...(c.retry ? { retry: c.retry } : {}), ...(c.cleanup ? { cleanup: true } : {}),
  };
}

function runItem(phase: string, s: ScheduledStep): JsonRunItem {
  const w = s.work;
  if (w.kind === "commands") return { phase, what: s.what, commands: w.commands.map(commandJson) };
  if (w.kind === "record") return { phase, what: s.what, record: w.write.path };
  const uploads = w.files.map((f) => ({ path: f.path, sha256: f.sha256, mode: `0${f.mode.toString(8)}`, owner: f.owner, group: f.group }));
  return { phase, what: s.what, uploads };
}

/** Every run item of the plan, per host, in the order apply runs them. */
export function runItemsByHost(plan: Plan): Map<string, JsonRunItem[]> {
  const phases = schedule(plan);
  const phaseOf = new Map(phases.flatMap((p) => p.steps.map((s) => [s, p.name] as const)));
  return new Map(plan.hosts.map((h) => [h.host, stepsOfHost(phases, h.host).map((s) => runItem(phaseOf.get(s)!, s))]));
}

function hostJson(h: HostPlan, run: readonly JsonRunItem[]): unknown {
  return {
    host: h.host,
    files: h.files,
    containers: h.containers.map(({ commands: _c, ...rest }) => rest),
    bootstrap: h.bootstrap.map(({ commands: _c, ...rest }) => rest),
    run,
  };
}

/**
 * Deep copy with every string redacted. Sets become arrays; an error becomes its code and one-line
 * message (its cause, a stack or a socket, is not output); a cycle is cut.
 */
export function redactDeep(value: unknown, secrets: readonly string[], ancestors = new WeakSet<object>()): unknown {
  if (typeof value === "string") return redactSecrets(value, secrets);
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Error) {
    const e = value as Error & { code?: unknown; oneLine?: () => string };
    return { code: e.code ?? "E_INTERNAL", message: redactSecrets(typeof e.oneLine === "function" ? e.oneLine() : e.message, secrets) };
  }
  // Only an object inside itself is cut; one shared by two branches is copied into both.
  if (ancestors.has(value)) return "[cycle]";
  ancestors.add(value);
  const copy = Array.isArray(value) || value instanceof Set
    ? [...value].map((v) => redactDeep(v, secrets, ancestors))
    : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, secrets, ancestors)]));
  ancestors.delete(value);
  return copy;
}

/** The plan's JSON form, secrets redacted. */
export function planJson(plan: Plan, secrets: readonly string[]): unknown {
  const runs = runItemsByHost(plan);
  const doc = { verb: plan.verb, roles: plan.roles, hosts: plan.hosts.map((h) => hostJson(h, runs.get(h.host) ?? [])), warnings: plan.warnings };
  return redactDeep(doc, secrets);
}
