/**
 * What kolla-deploy keeps on each host about its own work, so that change detection needs no state
 * on the deployment host: for every container, the hash of the config it was last (re)started with.
 * Only hashes and image names: never file contents, never secrets. (An upgrade's copies of the
 * previous config files live next to it, under previous/, readable by root only.)
 */
import { STATE_DIR } from "../paths.js";

export { STATE_DIR };
export const STATE_FILE = `${STATE_DIR}/state.json`;

export interface ContainerRecord {
  readonly image: string;
  readonly configHash: string;
  /** config file name → sha256 */
  readonly fileHashes: Readonly<Record<string, string>>;
  readonly updatedAt: string;
  /** What the container ran with before the last upgrade touched it: what `rollback` restores. */
  readonly previous?: PreviousContainer;
  /** Set when an upgrade recreated the container and it did not pass the health gate. */
  readonly gateFailedAt?: string;
}

/**
 * The container as it was before an upgrade. Its config files were copied on the host to
 * `previousDir(container)`, so a rollback needs nothing from the deployment host.
 */
export interface PreviousContainer {
  readonly image: string;
  /** the image id the container ran ("sha256:…"), for the operator: tags are mutable */
  readonly imageId?: string;
  readonly configHash: string;
  readonly fileHashes: Readonly<Record<string, string>>;
  /** the config directory the files came from, e.g. /etc/kolla/keystone */
  readonly configDir: string;
  readonly savedAt: string;
  /** the upgrade run (its start time, ISO) that saved it: rollback undoes the latest run only */
  readonly upgradeId: string;
}

/** Where an upgrade keeps the previous config files of a container on its host. */
export function previousDir(container: string): string {
  return `${STATE_DIR}/previous/${container}`;
}

export interface BootstrapRecord {
  readonly image: string;
  readonly at: string;
}

export interface HostRecord {
  readonly version: 1;
  readonly containers: Readonly<Record<string, ContainerRecord>>;
  /** bootstrap step id → when it last succeeded, and with which image */
  readonly bootstrap: Readonly<Record<string, BootstrapRecord>>;
}

export function emptyRecord(): HostRecord {
  return { version: 1, containers: {}, bootstrap: {} };
}

/** A missing or unreadable record means "nothing known": every container's config counts as changed. */
export function parseHostRecord(text: string): HostRecord {
  if (text.trim() === "") return emptyRecord();
  try {
    const parsed = JSON.parse(text) as Partial<HostRecord>;
    if (parsed.version !== 1) return emptyRecord();
    return { version: 1, containers: parsed.containers ?? {}, bootstrap: parsed.bootstrap ?? {} };
  } catch {
    return emptyRecord();
  }
}

export function serializeRecord(record: HostRecord): string {
  return JSON.stringify(record, null, 2) + "\n";
}
