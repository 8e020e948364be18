/**
 * `kolla-deploy build`: validate every definition, then build each requested image after its
 * parent, up to `threads` images at once (layers come from the cache when their key is unchanged),
 * and push it. Nothing is mounted or sent before all definitions and the registry route are known
 * to be good. A failed image stops only the images below it; the run fails at the end.
 */
import { rmSync } from "node:fs";
import { arch } from "node:os";
import { join } from "node:path";
import { DeployError, Diagnostics } from "../errors.js";
import { bootstrapKey, layerKey } from "./cache-key.js";
import { BuildCache } from "./cache.js";
import { loadCatalog, lineage, selectImages, type Catalog } from "./catalog.js";
import { prepareFiles } from "./files.js";
import { dockerArchitecture, imageConfigJson, inheritSettings, manifestJson } from "./image-config.js";
import { buildBootstrapLayer, buildOwnLayer, unmountAll, type LayerBuildContext, type LocalRunner } from "./layer-builder.js";
import { RegistryClient } from "./registry.js";
import { assertRegistryReachableSafely } from "./route.js";
import { runAfterParents, type Outcome } from "./schedule.js";
import { SharedApt } from "./shared-apt.js";
import type { BuildVars, ImageDefinition, LayerInfo } from "./types.js";

export interface BuildProgress {
  step(image: string, what: string): void;
  done(image: string, what: string, ms: number): void;
  failed(image: string, what: string, message: string): void;
}

export interface BuildRequest {
  readonly imagesDir: string;
  readonly names: readonly string[];
  readonly vars: BuildVars;
  readonly cacheDir: string;
  readonly namespace: string;
  readonly tag: string;
  /** HOST:PORT; required for push */
  readonly registry: string | undefined;
  readonly push: boolean;
  /** Images built at once (each after its parent); at least 1. */
  readonly threads: number;
  readonly run: LocalRunner;
  readonly progress: BuildProgress;
}

export interface BuiltImage {
  readonly name: string;
  readonly reference: string;
  readonly layers: readonly LayerInfo[];
  /** The image's own layer came from the cache. */
  readonly cached: boolean;
  readonly pushed: "pushed" | "unchanged" | "not-pushed";
  readonly seconds: number;
}

export function imageReference(registry: string | undefined, namespace: string, name: string, tag: string): string {
  return `${registry === undefined ? "" : `${registry}/`}${namespace}/${name}:${tag}`;
}

export async function buildImages(request: BuildRequest): Promise<BuiltImage[]> {
  const catalog = loadCatalog(request.imagesDir, request.vars);
  const images = selectImages(catalog, request.names);
  if (process.getuid?.() !== 0) throw new DeployError("E_BUILD_ROOT", "building images needs root (overlay mounts, chroot)", "run kolla-deploy build as root");
  if (request.push && request.registry === undefined) throw new DeployError("E_USAGE", "--push needs --registry HOST:PORT", "e.g. --registry 198.18.0.1:5000");
  const client = request.push ? new RegistryClient(assertRegistryReachableSafely(request.registry!)) : undefined;
  await client?.ping();
  const cache = new BuildCache(request.cacheDir);
  await cleanStaleStages(cache, request.run);
  const shared: SharedContext = { cache, run: request.run, apt: new SharedApt(cache.aptLock, request.run), building: new Map() };
  const outcomes = await runAfterParents(images, request.threads, (definition, parent: BuiltImage | undefined) => buildOne(request, { catalog, client, shared }, definition, parent));
  return builtOrThrow(outcomes, request.progress);
}

interface RunParts {
  readonly catalog: Catalog;
  readonly client: RegistryClient | undefined;
  readonly shared: SharedContext;
}

/** One image: its layers (cached or built) on its parent's, then its push; progress either way. */
async function buildOne(request: BuildRequest, parts: RunParts, definition: ImageDefinition, parent: BuiltImage | undefined): Promise<BuiltImage> {
  const started = Date.now();
  const step = (what: string) => request.progress.step(definition.name, what);
  try {
    const { layers, cached } = await imageLayers(definition, parent?.layers ?? [], request.vars, { ...parts.shared, step });
    const item = { definition, chain: lineage(parts.catalog, definition.name), layers, cache: parts.shared.cache };
    const pushed = parts.client === undefined ? "not-pushed" : await pushOne(parts.client, request, item, step);
    request.progress.done(definition.name, cached ? "cached" : "built", Date.now() - started);
    return { name: definition.name, reference: imageReference(request.registry, request.namespace, definition.name, request.tag), layers, cached, pushed, seconds: (Date.now() - started) / 1000 };
  } catch (error) {
    request.progress.failed(definition.name, "build", error instanceof DeployError ? error.message : String(error));
    throw error;
  }
}

/** Every image, or: the one failure as it was thrown, several as one error listing them all. */
function builtOrThrow(outcomes: readonly Outcome<BuiltImage>[], progress: BuildProgress): BuiltImage[] {
  const diags = new Diagnostics();
  for (const outcome of outcomes) {
    if (outcome.status === "skipped") progress.failed(outcome.name, "skipped", `${outcome.failedAncestor} failed`);
    if (outcome.status !== "failed") continue;
    if (!(outcome.error instanceof DeployError)) throw outcome.error; // a bug: its stack matters more
    diags.add(outcome.error);
  }
  diags.throwIfAny();
  return outcomes.map((o) => (o as Extract<Outcome<BuiltImage>, { status: "done" }>).value);
}

/** What the images built in one run share: the cache, apt, and the layers being built right now. */
interface SharedContext extends Omit<LayerBuildContext, "step"> {
  /** Layer key → its build in progress, so two images with the same layer build it once. */
  readonly building: Map<string, Promise<LayerInfo>>;
}

function layerOnce(ctx: SharedContext, key: string, build: () => Promise<LayerInfo>): Promise<LayerInfo> {
  let pending = ctx.building.get(key);
  if (pending === undefined) {
    pending = build();
    ctx.building.set(key, pending);
  }
  return pending;
}

async function imageLayers(definition: ImageDefinition, parentLayers: readonly LayerInfo[], vars: BuildVars, ctx: SharedContext & LayerBuildContext): Promise<{ layers: LayerInfo[]; cached: boolean }> {
  const below = [...parentLayers];
  if (definition.bootstrap !== undefined) {
    const key = bootstrapKey(definition);
    below.push(ctx.cache.layer(key) ?? (await layerOnce(ctx, key, () => buildBootstrapLayer(definition, key, ctx))));
  }
  const files = prepareFiles(definition, vars);
  const key = layerKey(definition, below.at(-1)?.digest ?? "", files.map((f) => f.keyed));
  const cachedLayer = ctx.cache.layer(key);
  if (cachedLayer !== undefined) return { layers: [...below, cachedLayer], cached: true };
  const lowerRoots = below.map((l) => ctx.cache.layerPaths(l.key).root).reverse();
  const own = await layerOnce(ctx, key, () => buildOwnLayer(definition, key, lowerRoots, files, ctx));
  return { layers: [...below, own], cached: false };
}

interface PushItem {
  readonly definition: ImageDefinition;
  /** The image and its ancestors, root first (for inherited settings). */
  readonly chain: readonly ImageDefinition[];
  readonly layers: readonly LayerInfo[];
  readonly cache: BuildCache;
}

async function pushOne(client: RegistryClient, request: BuildRequest, item: PushItem, step: (what: string) => void): Promise<"pushed" | "unchanged"> {
  const { definition, layers } = item;
  const settings = inheritSettings(item.chain);
  const labels = { ...settings.labels, name: definition.name, kolla_version: request.tag };
  const created = layers.map((l) => l.created).sort().at(-1)!;
  const configJson = imageConfigJson({ name: definition.name, architecture: dockerArchitecture(arch()), created, settings: { ...settings, labels }, layers });
  const manifest = manifestJson(configJson, layers);
  step(`push ${imageReference(request.registry, request.namespace, definition.name, request.tag)}`);
  const files = layers.map((l) => ({ ...l, file: item.cache.layerPaths(l.key).tarball }));
  const changed = await client.pushImage({ repository: `${request.namespace}/${definition.name}`, tag: request.tag, layers: files, configJson, manifestJson: manifest });
  return changed ? "pushed" : "unchanged";
}

/** A build that was killed may have left mounts and a staging directory: undo both. */
async function cleanStaleStages(cache: BuildCache, run: LocalRunner): Promise<void> {
  for (const dir of cache.staleStages()) {
    await unmountAll({ merged: join(dir, "merged"), resolvConf: "/etc/resolv.conf" }, { run });
    rmSync(dir, { recursive: true, force: true });
  }
}
