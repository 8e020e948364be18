/**
 * What upgrade and rollback work on and what they report. A report is data: the CLI prints it
 * as a table or as JSON.
 */
import type { DeployError } from "../errors.js";
import type { ContainerAction, ContainerChange, DesiredFile } from "../plan/types.js";
import type { Serial } from "./batches.js";

export interface RollingSettings {
  readonly serial: Serial;
  /** undefined: the first failed host stops the run */
  readonly maxFailPercentage: number | undefined;
  readonly healthTimeoutMs: number;
}

/** One host's share of a role's upgrade: its changed containers and the config files to write. */
export interface UpgradeWork {
  readonly host: string;
  readonly role: string;
  readonly changes: readonly ContainerChange[];
  readonly files: readonly DesiredFile[];
  /** container name → its config directory on the host */
  readonly dirs: ReadonlyMap<string, string>;
}

export type HostStatus = "upgraded" | "rolled back" | "unchanged" | "failed" | "not reached";

export interface ContainerResult {
  readonly container: string;
  readonly action: ContainerAction;
  readonly from: string;
  readonly to: string;
  /** when it was (re)started, and when it passed the health gate (ISO) */
  startedAt?: string;
  healthyAt?: string;
}

export interface HostResult {
  readonly host: string;
  readonly role: string;
  status: HostStatus;
  /** 1-based batch number within the role's rollout */
  readonly batch: number;
  readonly containers: ContainerResult[];
  /** config files written (upgrade) or restored (rollback) on the host */
  files: string[];
  error?: DeployError;
  ms: number;
}

export interface RoleReport {
  readonly role: string;
  /** hosts per batch, in the order they ran (or would have) */
  readonly batches: string[][];
  /** the upgrade steps that ran */
  readonly steps: { readonly host: string; readonly description: string }[];
  /** why the rollout stopped early, if it did */
  stopped?: string;
}

export interface RunReport {
  readonly verb: "upgrade" | "rollback";
  readonly tag?: string;
  readonly roles: RoleReport[];
  readonly hosts: HostResult[];
  /** hosts that failed before anything changed (unreachable, image pull) */
  readonly failedBeforeChange: Map<string, DeployError>;
  stopped?: string;
  ms: number;
}

export function runFailed(report: RunReport): boolean {
  return report.failedBeforeChange.size > 0 || report.stopped !== undefined || report.hosts.some((h) => h.status === "failed");
}
