/**
 * How an upgrade and a rollback change a host's record (state.json): pure functions from one
 * record to the next. The record is the only memory of what a container ran before.
 */
import type { HostState } from "../plan/gather.js";
import type { ContainerRecord, HostRecord, PreviousContainer } from "../plan/record.js";
import { configHash } from "../plan/render-files.js";
import type { Role } from "../roles/index.js";

/** The container's current image and config (the files of its config dir as gathered), to be saved. */
export function previousFromState(state: HostState, container: string, configDir: string, upgradeId: string, now: string): PreviousContainer {
  const files = [...state.files].filter(([path]) => path.startsWith(`${configDir}/`)).map(([path, f]) => ({ dest: path.slice(configDir.length + 1), mode: f.mode, sha256: f.sha256 }));
  const running = state.containers.get(container);
  const image = running?.image ?? state.record.containers[container]?.image ?? "";
  return {
    image,
    ...(running === undefined ? {} : { imageId: running.imageId }),
    configHash: configHash(files),
    fileHashes: Object.fromEntries(files.map((f) => [f.dest, f.sha256])),
    configDir,
    savedAt: now,
    upgradeId,
  };
}

/**
 * True when the saved state must be kept instead of replaced: the container is there because an
 * upgrade failed its health gate, so what it runs now is not a state anyone wants back.
 */
export function keepsPrevious(entry: ContainerRecord | undefined): boolean {
  return entry?.previous !== undefined && entry.gateFailedAt !== undefined;
}

function put(record: HostRecord, container: string, entry: ContainerRecord): HostRecord {
  return { ...record, containers: { ...record.containers, [container]: entry } };
}

/** Records what the container ran before this upgrade (or keeps an earlier save, see keepsPrevious). */
export function withPrevious(record: HostRecord, container: string, previous: PreviousContainer): HostRecord {
  const entry = record.containers[container];
  if (keepsPrevious(entry)) return put(record, container, { ...entry!, previous: { ...entry!.previous!, upgradeId: previous.upgradeId } });
  // A container kolla-deploy never recorded (adopted from kolla-ansible) runs what is saved.
  const current = entry ?? { image: previous.image, configHash: previous.configHash, fileHashes: previous.fileHashes, updatedAt: previous.savedAt };
  return put(record, container, { ...current, previous });
}

export interface AppliedContainer {
  readonly container: string;
  readonly image: string;
  readonly configHash: string;
  readonly fileHashes: Readonly<Record<string, string>>;
}

/** The container now runs the new image and config; `healthy` false marks a failed health gate. */
export function withUpgraded(record: HostRecord, applied: AppliedContainer, now: string, healthy: boolean): HostRecord {
  const old = record.containers[applied.container];
  const entry: ContainerRecord = {
    image: applied.image,
    configHash: applied.configHash,
    fileHashes: applied.fileHashes,
    updatedAt: now,
    ...(old?.previous === undefined ? {} : { previous: old.previous }),
    ...(healthy ? {} : { gateFailedAt: now }),
  };
  return put(record, applied.container, entry);
}

/** The container runs its saved state again. The save is kept: a second rollback finds nothing to do. */
export function withRolledBack(record: HostRecord, container: string, now: string): HostRecord {
  const previous = record.containers[container]?.previous;
  if (previous === undefined) return record;
  const entry: ContainerRecord = { image: previous.image, configHash: previous.configHash, fileHashes: previous.fileHashes, updatedAt: now, previous };
  return put(record, container, entry);
}

export function withStep(record: HostRecord, id: string, image: string, now: string): HostRecord {
  return { ...record, bootstrap: { ...record.bootstrap, [id]: { image, at: now } } };
}

/** The container a recorded bootstrap step ran with (ids are `<role>:<index>:<kind>`). */
export function stepContainer(role: Role, id: string): string | undefined {
  const [roleName, index] = id.split(":");
  if (roleName !== role.name) return undefined;
  const step = role.bootstrap[Number(index)];
  return role.services.find((s) => s.key === step?.service)?.containerName;
}

/**
 * Bootstrap records say "done with image X"; when the container they ran with moves from one
 * image to another (upgrade, rollback), so do they — else a later deploy with the same tag would
 * run the role's bootstrap again.
 */
export function withStepsMoved(record: HostRecord, role: Role, container: string, from: string, to: string): HostRecord {
  const bootstrap = { ...record.bootstrap };
  for (const [id, done] of Object.entries(record.bootstrap)) {
    if (done.image === from && stepContainer(role, id) === container) bootstrap[id] = { ...done, image: to };
  }
  return { ...record, bootstrap };
}

/** The latest upgrade that saved something for these containers: rollback undoes only that one. */
export function latestUpgradeId(records: readonly HostRecord[], containers: ReadonlySet<string>): string | undefined {
  const ids = records.flatMap((r) => Object.entries(r.containers).filter(([name]) => containers.has(name)).map(([, e]) => e.previous?.upgradeId ?? ""));
  const latest = ids.filter((id) => id !== "").sort().at(-1);
  return latest;
}
