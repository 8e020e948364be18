/**
 * Pushes images to a Docker registry over the HTTP API v2, as `docker push` would: blobs (a layer
 * already in the registry is skipped, or cross-mounted from a repository that has it) and a
 * schema-2 manifest per tag. Plain HTTP: the caller has checked the route (route.ts).
 */
import { readFileSync } from "node:fs";
import { DeployError } from "../errors.js";
import { MANIFEST_TYPE, sha256Digest } from "./image-config.js";
import type { RegistryAddress } from "./route.js";
import type { LayerInfo } from "./types.js";

export interface PushInput {
  readonly repository: string;
  readonly tag: string;
  readonly layers: readonly (LayerInfo & { readonly file: string })[];
  readonly configJson: string;
  readonly manifestJson: string;
}

export class RegistryClient {
  private readonly base: string;
  /** Which repository already holds a blob, so other repositories can mount it instead of uploading. */
  private readonly holders = new Map<string, string>();

  constructor(readonly address: RegistryAddress) {
    this.base = `http://${address.host}:${address.port}`;
  }

  private async request(method: string, path: string, init: { body?: Buffer | string; headers?: Record<string, string> } = {}): Promise<Response> {
    const url = path.startsWith("http") ? path : `${this.base}${path}`;
    try {
      return await fetch(url, { method, headers: init.headers ?? {}, body: (init.body ?? null) as BodyInit | null, redirect: "manual", signal: AbortSignal.timeout(300_000) });
    } catch (error) {
      throw new DeployError("E_BUILD_PUSH", `registry ${this.base}: ${method} ${path.slice(0, 80)} failed: ${(error as Error).message}`, "is the registry up?", { cause: error });
    }
  }

  async ping(): Promise<void> {
    const response = await this.request("GET", "/v2/");
    if (response.status !== 200 && response.status !== 401) {
      throw new DeployError("E_BUILD_PUSH", `registry ${this.base} answered ${response.status} to /v2/`, "is it a Docker registry (API v2)?");
    }
  }

  async blobExists(repository: string, digest: string): Promise<boolean> {
    return (await this.request("HEAD", `/v2/${repository}/blobs/${digest}`)).status === 200;
  }

  /** The digest the registry holds under repository:tag, if any. */
  async manifestDigest(repository: string, tag: string): Promise<string | undefined> {
    const response = await this.request("HEAD", `/v2/${repository}/manifests/${tag}`, { headers: { Accept: MANIFEST_TYPE } });
    return response.status === 200 ? (response.headers.get("docker-content-digest") ?? undefined) : undefined;
  }

  async pushBlob(repository: string, digest: string, content: () => Buffer): Promise<"present" | "mounted" | "uploaded"> {
    if (await this.blobExists(repository, digest)) return "present";
    const from = this.holders.get(digest);
    const query = from === undefined ? "" : `?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`;
    const start = await this.request("POST", `/v2/${repository}/blobs/uploads/${query}`);
    if (start.status === 201) {
      this.holders.set(digest, repository);
      return "mounted";
    }
    const location = start.headers.get("location");
    if (start.status !== 202 || location === null) throw this.refused(`upload of ${digest} to ${repository}`, start.status);
    const url = new URL(location, this.base);
    url.searchParams.set("digest", digest);
    const put = await this.request("PUT", url.toString(), { body: content(), headers: { "Content-Type": "application/octet-stream" } });
    if (put.status !== 201) throw this.refused(`upload of ${digest} to ${repository}`, put.status);
    this.holders.set(digest, repository);
    return "uploaded";
  }

  async putManifest(repository: string, tag: string, manifestJson: string): Promise<void> {
    const response = await this.request("PUT", `/v2/${repository}/manifests/${tag}`, { body: manifestJson, headers: { "Content-Type": MANIFEST_TYPE } });
    if (response.status !== 201) throw this.refused(`manifest ${repository}:${tag}`, response.status);
  }

  /** Pushes one image; returns false when the registry already had exactly this manifest. */
  async pushImage(image: PushInput): Promise<boolean> {
    if ((await this.manifestDigest(image.repository, image.tag)) === sha256Digest(image.manifestJson)) return false;
    for (const layer of image.layers) {
      await this.pushBlob(image.repository, layer.digest, () => readFileSync(layer.file));
    }
    await this.pushBlob(image.repository, sha256Digest(image.configJson), () => Buffer.from(image.configJson));
    await this.putManifest(image.repository, image.tag, image.manifestJson);
    return true;
  }

  private refused(what: string, status: number): DeployError {
    return new DeployError("E_BUILD_PUSH", `${what} refused by ${this.base} (HTTP ${status})`, "check the registry's log; is it writable?");
  }
}
