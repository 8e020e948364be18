/**
 * Makes a host's plan executable (pure): every container change gets its commands, the changed
 * files their uploads, and the host its record write. After this, apply needs nothing but the plan.
 */
import type { ContainerEngineDriver } from "../engine/driver.js";
import { normalizeImageRef } from "../engine/normalize.js";
import type { Vars } from "../inventory/types.js";
import type { DesiredHost } from "./desired.js";
import type { HostState } from "./gather.js";
import { containerCommands, containerOptionsOf } from "./steps/containers.js";
import { recordWrite } from "./steps/record.js";
import type { BootstrapChange, ContainerChange, FileChange, HostPlan, PlannedUpload } from "./types.js";

export interface HostInputs {
  readonly host: string;
  readonly files: readonly FileChange[];
  readonly containers: readonly ContainerChange[];
  readonly bootstrap: readonly BootstrapChange[];
  /** absent for a host whose state was not read: nothing is recorded there */
  readonly state: HostState | undefined;
  readonly desired: DesiredHost | undefined;
  readonly vars: Vars;
  readonly driver: ContainerEngineDriver;
}

function imagePresent(state: HostState | undefined, image: string): boolean {
  const wanted = normalizeImageRef(image);
  return [...(state?.images.keys() ?? [])].some((ref) => normalizeImageRef(ref) === wanted);
}

function uploadsOf(files: readonly FileChange[], desired: DesiredHost | undefined): PlannedUpload[] {
  const changed = new Set(files.filter((f) => f.action !== "unchanged").map((f) => f.path));
  const all = desired?.services.flatMap((s) => s.files) ?? [];
  return all.filter((f) => changed.has(f.path)).map((f) => ({ path: f.path, content: f.content, sha256: f.sha256, mode: f.mode, owner: f.owner, group: f.group }));
}

export function executableHostPlan(h: HostInputs): HostPlan {
  const opts = containerOptionsOf(h.vars);
  const containers = h.containers.map((c) => ({
    ...c,
    commands: containerCommands(c.action, c.spec, h.driver, { ...opts, imagePresent: imagePresent(h.state, c.spec.image) }),
  }));
  const record = h.state === undefined ? undefined : recordWrite(h.state.record, containers, h.bootstrap);
  return { host: h.host, files: h.files, containers, bootstrap: h.bootstrap, uploads: uploadsOf(h.files, h.desired), ...(record === undefined ? {} : { record }) };
}
