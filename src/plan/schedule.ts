/**
 * The order apply runs a plan in, as data (pure): config files first on every host (a file never
 * affects a running container until it restarts), then for each role in site order its register
 * steps, its bootstrap steps, its containers and its post-start steps, then each host's record.
 * Phases are barriers; within a phase hosts work at once, except run-once steps, which go one by one.
 */
import type { BootstrapChange, HostPlan, Plan, PlannedCommand, PlannedUpload, RecordWrite, StepPhaseName } from "./types.js";

export type Work =
  | { readonly kind: "upload"; readonly files: readonly PlannedUpload[] }
  | { readonly kind: "commands"; readonly commands: readonly PlannedCommand[] }
  | { readonly kind: "record"; readonly write: RecordWrite };

/** What a step counts as in the host's outcome. */
export type Tally = "files" | "containers" | "steps" | "record";

export interface ScheduledStep {
  /** container name, bootstrap step id, "files" or "record": what the outcome records as done */
  readonly key: string;
  readonly host: string;
  readonly what: string;
  readonly tally: Tally;
  readonly work: Work;
  /** a run-once step: its failure fails the phase's roleHosts too */
  readonly failsRole?: boolean;
}

export interface Phase {
  readonly name: string;
  /** run-once steps run one after another, in plan order */
  readonly sequential: boolean;
  readonly steps: readonly ScheduledStep[];
  /** a failed run-once step fails its role on these hosts: the role cannot be trusted anywhere */
  readonly roleHosts?: readonly string[];
  /** the record is written on a host that failed too: it says what did succeed there */
  readonly evenOnFailedHosts?: boolean;
}

function filesPhase(hosts: readonly HostPlan[]): Phase {
  const steps = hosts
    .filter((h) => h.uploads.length > 0)
    .map((h): ScheduledStep => ({ key: "files", host: h.host, what: `write ${h.uploads.length} config file(s)`, tally: "files", work: { kind: "upload", files: h.uploads } }));
  return { name: "config files", sequential: false, steps };
}

function stepIndex(s: BootstrapChange): number {
  return Number(s.step.split(":")[1]);
}

function stepsPhase(hosts: readonly HostPlan[], role: string, phase: StepPhaseName): Phase {
  const picked = hosts.flatMap((h) => h.bootstrap.filter((s) => s.role === role && s.phase === phase).map((s) => ({ host: h.host, s })));
  picked.sort((a, b) => stepIndex(a.s) - stepIndex(b.s));
  const steps = picked.map(({ host, s }): ScheduledStep => ({
    key: s.step, host, what: `${role}: ${s.description}`, tally: "steps", work: { kind: "commands", commands: s.commands }, failsRole: s.runOnce,
  }));
  const roleHosts = hosts.filter((h) => h.containers.some((c) => c.role === role)).map((h) => h.host);
  return { name: `${role} ${phase}`, sequential: true, steps, roleHosts };
}

function containersPhase(hosts: readonly HostPlan[], role: string): Phase {
  const steps = hosts.flatMap((h) =>
    h.containers
      .filter((c) => c.role === role && c.action !== "none")
      .map((c): ScheduledStep => ({ key: c.container, host: h.host, what: `${c.action} ${c.container} (${c.reasons.join("; ")})`, tally: "containers", work: { kind: "commands", commands: c.commands } })),
  );
  return { name: `${role} containers`, sequential: false, steps };
}

function recordPhase(hosts: readonly HostPlan[]): Phase {
  const steps = hosts.flatMap((h) => (h.record === undefined ? [] : [{ key: "record", host: h.host, what: "record state", tally: "record" as const, work: { kind: "record" as const, write: h.record } }]));
  return { name: "host records", sequential: false, steps, evenOnFailedHosts: true };
}

/** Every phase apply runs, in order; phases with no step are left out. */
export function schedule(plan: Plan): Phase[] {
  const perRole = plan.roles.flatMap((role) => [
    stepsPhase(plan.hosts, role, "register"),
    stepsPhase(plan.hosts, role, "bootstrap"),
    containersPhase(plan.hosts, role),
    stepsPhase(plan.hosts, role, "post_start"),
  ]);
  return [filesPhase(plan.hosts), ...perRole, recordPhase(plan.hosts)].filter((p) => p.steps.length > 0);
}

/** One host's work in the order apply does it: what `--check --json` lists under `run`. */
export function stepsOfHost(phases: readonly Phase[], host: string): ScheduledStep[] {
  return phases.flatMap((p) => p.steps.filter((s) => s.host === host));
}
