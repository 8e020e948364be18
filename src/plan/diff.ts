/**
 * Desired state × what the host has → the host's plan. Pure. A container is (re)created only when
 * its spec differs, restarted only when its config changed, and left alone otherwise.
 */
import { compareContainer } from "../engine/compare.js";
import { normalizeImageRef } from "../engine/normalize.js";
import { configHash } from "./render-files.js";
import type { DesiredHost, DesiredService } from "./desired.js";
import type { HostState, RemoteFile } from "./gather.js";
import type { ContainerAction, ContainerChange, DesiredFile, FileChange } from "./types.js";

export interface DiffOptions {
  /** genconfig and deploy/reconfigure write files; deploy-containers does not. */
  readonly writeFiles: boolean;
  /** deploy-containers, deploy and reconfigure handle containers; genconfig does not. */
  readonly handleContainers: boolean;
}

function octal(mode: number): string {
  return `0${mode.toString(8)}`;
}

export function diffFile(file: DesiredFile, remote: RemoteFile | undefined): FileChange {
  if (remote === undefined) return { path: file.path, action: "create", reasons: ["new file"] };
  const reasons: string[] = [];
  if (remote.sha256 !== file.sha256) reasons.push("content changed");
  if (remote.mode !== file.mode) reasons.push(`mode ${octal(remote.mode)} → ${octal(file.mode)}`);
  if (remote.owner !== file.owner || remote.group !== file.group) {
    reasons.push(`owner ${remote.owner}:${remote.group} → ${file.owner}:${file.group}`);
  }
  return { path: file.path, action: reasons.length === 0 ? "unchanged" : "update", reasons };
}

function imageIdOf(state: HostState, image: string): string | undefined {
  const wanted = normalizeImageRef(image);
  for (const [ref, id] of state.images) if (normalizeImageRef(ref) === wanted) return id;
  return undefined;
}

/** Names of the service's config files that differ from what its container was last started with. */
function changedConfig(svc: DesiredService, state: HostState, written: ReadonlySet<string>): string[] {
  const record = state.record.containers[svc.spec.name];
  const names = Object.keys(svc.fileHashes);
  if (record === undefined) {
    // Never started by us (new, or adopted from kolla-ansible): only files we write now count.
    return names.filter((n) => written.has(`${svc.dir}/${n}`));
  }
  return names.filter((n) => record.fileHashes[n] !== svc.fileHashes[n] || written.has(`${svc.dir}/${n}`));
}

function containerChange(svc: DesiredService, state: HostState, written: ReadonlySet<string>): ContainerChange {
  const current = state.containers.get(svc.spec.name);
  const specReasons = compareContainer(svc.spec, current, imageIdOf(state, svc.spec.image));
  const changedFiles = changedConfig(svc, state, written);
  const copyOnce = svc.spec.environment["KOLLA_CONFIG_STRATEGY"] === "COPY_ONCE";
  let action: ContainerAction = "none";
  let reasons: string[] = [];
  if (current === undefined) {
    action = "create";
    reasons = ["container missing"];
  } else if (specReasons.length > 0) {
    action = "recreate";
    reasons = [...specReasons, ...changedFiles.map((n) => `${n} changed`)];
  } else if (changedFiles.length > 0) {
    // COPY_ONCE containers copy their config only on first start: a new config needs a new container.
    action = copyOnce ? "recreate" : "restart";
    reasons = changedFiles.map((n) => `${n} changed`);
  }
  return {
    role: svc.role.name,
    service: svc.service.key,
    container: svc.spec.name,
    action,
    reasons,
    spec: svc.spec,
    configHash: svc.configHash,
    fileHashes: svc.fileHashes,
    // built once the host's plan is made executable (plan/executable.ts)
    commands: [],
  };
}

/** deploy-containers writes nothing: the config a container should run with is what the host holds. */
function asOnHost(svc: DesiredService, state: HostState): DesiredService {
  const fileHashes = Object.fromEntries(
    Object.keys(svc.fileHashes).map((name) => [name, state.files.get(`${svc.dir}/${name}`)?.sha256 ?? "missing"]),
  );
  const hashes = svc.files.map((f) => ({ dest: f.path.slice(svc.dir.length + 1), mode: f.mode, sha256: fileHashes[f.path.slice(svc.dir.length + 1)]! }));
  return { ...svc, fileHashes, configHash: configHash(hashes) };
}

export function diffHost(desired: DesiredHost, state: HostState, opts: DiffOptions): { files: FileChange[]; containers: ContainerChange[] } {
  const files = opts.writeFiles
    ? desired.services.flatMap((svc) => svc.files.map((f) => diffFile(f, state.files.get(f.path))))
    : [];
  const written = new Set(files.filter((f) => f.action !== "unchanged").map((f) => f.path));
  const services = opts.writeFiles ? desired.services : desired.services.map((svc) => asOnHost(svc, state));
  const containers = opts.handleContainers ? services.map((svc) => containerChange(svc, state, written)) : [];
  return { files, containers };
}
