/**
 * A plan is a typed value: what each host needs and why. It is printed by `--check`, saved as JSON, and tested.
 * Only src/apply touches hosts.
 */
import type { Command } from "../command.js";
import type { ContainerSpec } from "../engine/types.js";
import type { HostRecord } from "./record.js";

/**
 * One command that apply will run, fully built. Its `command.secrets` say what to redact wherever
 * the command or its output is shown; they never reach printed plans (see plan/json.ts).
 */
export interface PlannedCommand {
  /** what it does, for progress lines and errors: "starting container keystone" */
  readonly what: string;
  readonly command: Command;
  /** exit codes that count as success (default [0]) */
  readonly acceptCodes?: readonly number[];
  /** a failure whose output matches this (case-insensitive) counts as success: "no such container" */
  readonly acceptOutput?: string;
  /** transient failures are retried with a doubling wait, unless the output matches `giveUpOn` */
  readonly retry?: { readonly attempts: number; readonly backoffMs: number; readonly giveUpOn: string };
  /** runs even when an earlier command of the same change failed (the one-shot container's removal) */
  readonly cleanup?: boolean;
  /** what the error says: `first` line of the output (the engine's reason) or the `last` (a tool's) */
  readonly errorLine: "first" | "last";
  readonly errorCode: string;
  readonly hint: string;
}

/** A config file to write (all of a host's in one round trip); contents are never printed (diffs show them, redacted). */
export type PlannedUpload = Omit<DesiredFile, "services">;

export interface RecordEntry {
  readonly image: string;
  readonly configHash: string;
  readonly fileHashes: Readonly<Record<string, string>>;
  readonly afterChange: boolean;
}

/**
 * The host record after the run. Apply writes `base` plus the entries of the changes that
 * succeeded (all of them, on a host that did not fail), stamped with the time: plan/steps/record.ts.
 */
export interface RecordWrite {
  readonly path: string;
  readonly base: HostRecord;
  /** container name → its new record entry; `afterChange`: only once its change succeeded */
  readonly containers: Readonly<Record<string, RecordEntry>>;
  /** bootstrap step id → the image it ran with, once it succeeded */
  readonly steps: Readonly<Record<string, string>>;
}

/** A config file as it should be on a host. */
export interface DesiredFile {
  readonly path: string;
  readonly content: string;
  readonly sha256: string;
  readonly mode: number;
  readonly owner: string;
  readonly group: string;
  /** The container(s) whose config this file is: a change restarts them. */
  readonly services: readonly string[];
}

export type FileAction = "create" | "update" | "unchanged";

export interface FileChange {
  readonly path: string;
  readonly action: FileAction;
  /** e.g. "content changed", "mode 0644 → 0600" */
  readonly reasons: readonly string[];
  /** Unified diff against the host's file, secrets redacted; filled in only for plans shown to people. */
  diff?: string;
}

export type ContainerAction = "create" | "recreate" | "restart" | "none";

export interface ContainerChange {
  readonly role: string;
  readonly service: string;
  readonly container: string;
  readonly action: ContainerAction;
  /** Every reason, e.g. "nova.conf changed", "image changed: a → b". */
  readonly reasons: readonly string[];
  readonly spec: ContainerSpec;
  /** Hash of the container's config files as they will be on the host; recorded on the host after (re)start. */
  readonly configHash: string;
  readonly fileHashes: Readonly<Record<string, string>>;
  /** what apply runs for this change, in order (empty for "none") */
  readonly commands: readonly PlannedCommand[];
}

export type StepPhaseName = "register" | "bootstrap" | "post_start";

export interface BootstrapChange {
  readonly role: string;
  /** stable id `<role>:<index>:<kind>`, recorded on the host after success */
  readonly step: string;
  readonly description: string;
  readonly reason: string;
  readonly phase: StepPhaseName;
  /** a run-once step that fails fails its role on every host */
  readonly runOnce: boolean;
  /** the service's image on that host, recorded after success */
  readonly image: string;
  readonly commands: readonly PlannedCommand[];
}

export interface HostPlan {
  readonly host: string;
  readonly files: readonly FileChange[];
  readonly containers: readonly ContainerChange[];
  readonly bootstrap: readonly BootstrapChange[];
  /** the changed files' contents, written first in one round trip */
  readonly uploads: readonly PlannedUpload[];
  /** the host record to write at the end; absent when it would not change */
  readonly record?: RecordWrite;
}

export interface Plan {
  readonly verb: string;
  /** the selected roles in site order: the order apply works through them */
  readonly roles: readonly string[];
  readonly hosts: readonly HostPlan[];
  readonly warnings: readonly string[];
}

/** A record-only write is bookkeeping, not a change an operator is asked about. */
export function hostHasChanges(h: HostPlan): boolean {
  return (
    h.files.some((f) => f.action !== "unchanged") ||
    h.containers.some((c) => c.action !== "none") ||
    h.bootstrap.length > 0
  );
}

export function planHasChanges(plan: Plan): boolean {
  return plan.hosts.some(hostHasChanges);
}
