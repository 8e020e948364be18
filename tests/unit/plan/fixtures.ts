/**
 * Small plan fixtures: one desired service (fx_full, whose spec matches the captured docker
 * inspect in tests/fixtures/engine) and the host state around it. Pure data; no host, no ssh.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseContainerInspect, parseImageInspect } from "../../../src/engine/inspect.js";
import type { ContainerState } from "../../../src/engine/types.js";
import type { DesiredService } from "../../../src/plan/desired.js";
import type { HostState, RemoteFile } from "../../../src/plan/gather.js";
import { emptyRecord, type ContainerRecord, type HostRecord } from "../../../src/plan/record.js";
import { configHash, sha256 } from "../../../src/plan/render-files.js";
import type { DesiredFile } from "../../../src/plan/types.js";
import type { Role, ServiceDef } from "../../../src/roles/index.js";
import { REPO_ROOT } from "../../helpers/cli.js";
import { fxFullSpec } from "../../fixtures/engine/fx-full-spec.js";

const inspectDir = join(REPO_ROOT, "tests", "fixtures", "engine", "inspect");
export const fxContainer = parseContainerInspect(readFileSync(join(inspectDir, "docker-full.json"), "utf8"))[0] as ContainerState;
export const fxImageId = parseImageInspect(readFileSync(join(inspectDir, "docker-image.json"), "utf8"))[0]!.id;

export const FX_DIR = "/etc/kolla/fx";

/** The service's config files: name → content. */
export const FX_FILES: Readonly<Record<string, string>> = { "fx.conf": "[DEFAULT]\ndebug = False\n", "config.json": "{}\n" };

function desiredFile(name: string, content: string, mode = 0o660): DesiredFile {
  return { path: `${FX_DIR}/${name}`, content, sha256: sha256(content), mode, owner: "root", group: "root", services: ["fx_full"] };
}

/** fx_full as a plan wants it; `files` replaces the config contents, `environment` is added to the spec's. */
export function fxService(opts: { files?: Record<string, string>; environment?: Record<string, string> } = {}): DesiredService {
  const files = Object.entries(opts.files ?? FX_FILES).map(([name, content]) => desiredFile(name, content));
  const hashes = files.map((f) => ({ dest: f.path.slice(FX_DIR.length + 1), mode: f.mode, sha256: f.sha256 }));
  return {
    role: { name: "fx" } as Role,
    service: { key: "fx", containerName: "fx_full" } as ServiceDef,
    spec: { ...fxFullSpec, environment: { ...fxFullSpec.environment, ...opts.environment } },
    dir: FX_DIR,
    files,
    configHash: configHash(hashes),
    fileHashes: Object.fromEntries(hashes.map((h) => [h.dest, h.sha256])),
  };
}

/** The record kolla-deploy leaves after starting `svc` with its config. */
export function recordFor(svc: DesiredService, updatedAt = "2026-01-01T00:00:00.000Z"): ContainerRecord {
  return { image: svc.spec.image, configHash: svc.configHash, fileHashes: svc.fileHashes, updatedAt };
}

/** The files of `svc` as they sit on the host (same content, mode, owner). */
export function filesOnHost(svc: DesiredService): Map<string, RemoteFile> {
  return new Map(svc.files.map((f) => [f.path, { sha256: f.sha256, mode: f.mode, owner: f.owner, group: f.group }]));
}

export function hostState(opts: {
  containers?: ContainerState[];
  files?: Map<string, RemoteFile>;
  record?: HostRecord;
  images?: Map<string, string>;
} = {}): HostState {
  return {
    facts: { hostname: "node1", ipv4: { eth0: "198.18.0.11" } },
    files: opts.files ?? new Map(),
    containers: new Map((opts.containers ?? [fxContainer]).map((c) => [c.name, c])),
    images: opts.images ?? new Map([[fxFullSpec.image, fxImageId]]),
    record: opts.record ?? emptyRecord(),
    engineAvailable: true,
  };
}
