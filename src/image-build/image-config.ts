/**
 * Pure: the container settings an image inherits from its ancestors, its image config JSON
 * (Docker image v1 / OCI config with diff_ids) and its Docker v2 schema-2 manifest.
 */
import { createHash } from "node:crypto";
import type { ImageDefinition, ImageSettings, LayerInfo } from "./types.js";

export const MANIFEST_TYPE = "application/vnd.docker.distribution.manifest.v2+json";
export const CONFIG_TYPE = "application/vnd.docker.container.image.v1+json";
export const LAYER_TYPE = "application/vnd.docker.image.rootfs.diff.tar.gzip";

const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** Env and labels merge key by key (the child wins); user, workdir, entrypoint and cmd are replaced. */
export function inheritSettings(chain: readonly ImageDefinition[]): ImageSettings {
  let settings: ImageSettings = { env: { PATH: DEFAULT_PATH }, labels: {}, user: undefined, workdir: undefined, entrypoint: undefined, cmd: undefined };
  for (const d of chain) {
    settings = {
      env: { ...settings.env, ...d.env },
      labels: { ...settings.labels, ...d.labels },
      user: d.user ?? settings.user,
      workdir: d.workdir ?? settings.workdir,
      entrypoint: d.entrypoint ?? settings.entrypoint,
      cmd: d.cmd ?? settings.cmd,
    };
  }
  return settings;
}

export interface ConfigInput {
  readonly name: string;
  readonly architecture: string;
  /** ISO time; fixed by the caller so the same layers give the same image id. */
  readonly created: string;
  readonly settings: ImageSettings;
  readonly layers: readonly LayerInfo[];
}

/** The image config blob, serialised once: its bytes are hashed into the image id. */
export function imageConfigJson(input: ConfigInput): string {
  const s = input.settings;
  const config: Record<string, unknown> = {
    Env: Object.entries(s.env).map(([k, v]) => `${k}=${v}`),
    Labels: s.labels,
  };
  if (s.user !== undefined) config.User = s.user;
  if (s.workdir !== undefined) config.WorkingDir = s.workdir;
  if (s.entrypoint !== undefined) config.Entrypoint = s.entrypoint;
  if (s.cmd !== undefined) config.Cmd = s.cmd;
  return JSON.stringify({
    architecture: input.architecture,
    os: "linux",
    created: input.created,
    config,
    rootfs: { type: "layers", diff_ids: input.layers.map((l) => l.diffId) },
    history: input.layers.map((l) => ({ created: input.created, created_by: `kolla-deploy build ${input.name} (layer ${l.key.slice(0, 12)})` })),
  });
}

export function sha256Digest(content: string | Buffer): string {
  return `sha256:${createHash("sha256").update(content).digest("hex")}`;
}

export function manifestJson(configJson: string, layers: readonly LayerInfo[]): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: MANIFEST_TYPE,
    config: { mediaType: CONFIG_TYPE, size: Buffer.byteLength(configJson), digest: sha256Digest(configJson) },
    layers: layers.map((l) => ({ mediaType: LAYER_TYPE, size: l.size, digest: l.digest })),
  });
}

/** Docker's architecture names for Node's. */
export function dockerArchitecture(nodeArch: string): string {
  const map: Record<string, string> = { x64: "amd64", arm64: "arm64", arm: "arm", ppc64: "ppc64le", s390x: "s390x" };
  return map[nodeArch] ?? nodeArch;
}
