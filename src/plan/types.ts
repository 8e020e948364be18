/**
 * A plan is a typed value: what each host needs and why. It is printed by `--check`, saved as JSON, and tested.
 * Only src/apply touches hosts.
 */
import type { ContainerSpec } from "../engine/types.js";

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
}

export interface BootstrapChange {
  readonly role: string;
  readonly step: string;
  readonly description: string;
  readonly reason: string;
}

export interface HostPlan {
  readonly host: string;
  readonly files: readonly FileChange[];
  readonly containers: readonly ContainerChange[];
  readonly bootstrap: readonly BootstrapChange[];
}

export interface Plan {
  readonly verb: string;
  readonly hosts: readonly HostPlan[];
  readonly warnings: readonly string[];
}

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
