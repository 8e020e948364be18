/**
 * From a plan (desired state × gathered hosts) to the work of an upgrade or a rollback, per host
 * and role. Pure.
 */
import type { DesiredHost } from "../plan/desired.js";
import type { HostState } from "../plan/gather.js";
import type { HostRecord, PreviousContainer } from "../plan/record.js";
import type { ContainerSpec } from "../engine/types.js";
import type { ContainerAction, ContainerChange, Plan, PlannedCommand } from "../plan/types.js";
import type { Role } from "../roles/index.js";
import { latestUpgradeId } from "./record-edit.js";
import type { UpgradeWork } from "./types.js";

/** The parts of a PlanResult the work is computed from. */
export interface PlanView {
  readonly plan: Plan;
  readonly desired: ReadonlyMap<string, DesiredHost>;
  readonly states: ReadonlyMap<string, HostState>;
}

/** Every image the selected roles' containers should run, per host: what the upgrade pulls first. */
export function imagesByHost(view: PlanView): Map<string, string[]> {
  return new Map([...view.desired].map(([host, d]) => [host, [...new Set(d.services.map((s) => s.spec.image))]]));
}

/** Hosts whose containers of the role change, with the role's changed config files there. */
export function upgradeWork(view: PlanView, role: Role): UpgradeWork[] {
  const work: UpgradeWork[] = [];
  for (const hp of view.plan.hosts) {
    const services = view.desired.get(hp.host)?.services.filter((s) => s.role.name === role.name) ?? [];
    const changed = new Set(hp.files.filter((f) => f.action !== "unchanged").map((f) => f.path));
    const files = services.flatMap((s) => s.files).filter((f) => changed.has(f.path));
    const changes = hp.containers.filter((c) => c.role === role.name && c.action !== "none");
    if (changes.length === 0 && files.length === 0) continue;
    work.push({ host: hp.host, role: role.name, changes, files, dirs: new Map(services.map((s) => [s.spec.name, s.dir])) });
  }
  return work;
}

export interface RollbackItem {
  readonly previous: PreviousContainer;
  /** recreate (or create) the container from today's spec with the saved image */
  readonly change: ContainerChange;
  /** the image it runs now ("" when the container is missing) */
  readonly currentImage: string;
}

export interface RollbackWork {
  readonly host: string;
  readonly role: string;
  readonly items: readonly RollbackItem[];
}

export function hashesIn(state: HostState, dir: string): Record<string, string> {
  const prefix = `${dir}/`;
  return Object.fromEntries([...state.files].filter(([path]) => path.startsWith(prefix)).map(([path, f]) => [path.slice(prefix.length), f.sha256]));
}

function sameHashes(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** Builds a container change's commands on a host (plan/steps/containers.ts, with that host's options). */
export type ContainerCommands = (host: string, action: ContainerAction, spec: ContainerSpec) => readonly PlannedCommand[];

/** The role's containers that the latest upgrade saved, on each host, unless they already run that state. */
export function rollbackWork(view: PlanView, role: Role, records: ReadonlyMap<string, HostRecord>, commandsFor: ContainerCommands): RollbackWork[] {
  const names = new Set(role.services.map((s) => s.containerName));
  const upgradeId = latestUpgradeId([...records.values()], names);
  if (upgradeId === undefined) return [];
  const work: RollbackWork[] = [];
  for (const hp of view.plan.hosts) {
    const state = view.states.get(hp.host);
    const record = records.get(hp.host);
    if (state === undefined || record === undefined) continue;
    const items: RollbackItem[] = [];
    for (const svc of view.desired.get(hp.host)?.services.filter((s) => s.role.name === role.name) ?? []) {
      const previous = record.containers[svc.spec.name]?.previous;
      if (previous === undefined || previous.upgradeId !== upgradeId) continue;
      const running = state.containers.get(svc.spec.name);
      if (running?.image === previous.image && sameHashes(hashesIn(state, previous.configDir), previous.fileHashes)) continue;
      const action = running === undefined ? "create" : "recreate";
      const spec = { ...svc.spec, image: previous.image };
      const change: ContainerChange = {
        role: role.name, service: svc.service.key, container: svc.spec.name, action, reasons: [`rollback to ${previous.image}`],
        spec, configHash: previous.configHash, fileHashes: previous.fileHashes, commands: commandsFor(hp.host, action, spec),
      };
      items.push({ previous, change, currentImage: running?.image ?? "" });
    }
    if (items.length > 0) work.push({ host: hp.host, role: role.name, items });
  }
  return work;
}

/** True when some host holds a saved state for one of the role's containers. */
export function hasSavedState(role: Role, records: ReadonlyMap<string, HostRecord>): boolean {
  const names = new Set(role.services.map((s) => s.containerName));
  return latestUpgradeId([...records.values()], names) !== undefined;
}
