/** Small hand-built host states and plans for the pure upgrade/rollback logic. */
import type { ContainerState } from "../../../src/engine/types.js";
import type { HostState, RemoteFile } from "../../../src/plan/gather.js";
import { emptyRecord, type HostRecord } from "../../../src/plan/record.js";

export const IMG = (tag: string, name = "keystone") => `r:5000/kolla/${name}:${tag}`;

/** Only the container fields the upgrade logic reads; the rest of ContainerState is irrelevant here. */
export function running(name: string, image: string): ContainerState {
  return { name, image, imageId: `sha256:${image.length}${name}`, status: "running" } as unknown as ContainerState;
}

export function file(sha256: string, mode = 0o660): RemoteFile {
  return { sha256, mode, owner: "root", group: "root" };
}

export function hostState(opts: { files?: Record<string, RemoteFile>; containers?: ContainerState[]; images?: string[]; record?: HostRecord } = {}): HostState {
  return {
    facts: { hostname: "h", ipv4: {} },
    files: new Map(Object.entries(opts.files ?? {})),
    containers: new Map((opts.containers ?? []).map((c) => [c.name, c])),
    images: new Map((opts.images ?? []).map((ref) => [ref, `sha256:${ref.length}`])),
    record: opts.record ?? emptyRecord(),
    engineAvailable: true,
  };
}
