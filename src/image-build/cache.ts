/**
 * The build cache (default /var/cache/kolla-deploy/build, or KOLLA_BUILD_CACHE / --cache-dir):
 *   layers/<key>/root/          the layer's files (an overlay upper dir; a lowerdir for children)
 *   layers/<key>/layer.tar.gz   the layer blob, layers/<key>/layer.json its LayerInfo
 *   apt/lists, apt/cache        apt's state, bind-mounted into every build root
 *   debootstrap/                debootstrap's downloaded packages
 * A layer is built in layers/<key>.tmp-<pid>/ and renamed into place only when complete, so an
 * interrupted build never leaves a half layer under its key.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DeployError } from "../errors.js";
import type { LayerInfo } from "./types.js";

export function defaultCacheDir(): string {
  return process.env.KOLLA_BUILD_CACHE ?? "/var/cache/kolla-deploy/build";
}

export interface LayerPaths {
  readonly dir: string;
  readonly root: string;
  readonly tarball: string;
  readonly info: string;
}

export class BuildCache {
  constructor(readonly dir: string) {
    // overlayfs mount options use ':' and ',' as separators.
    if (/[:,\s]/.test(dir)) throw new DeployError("E_BUILD_CACHE", `cache directory "${dir}" contains ':', ',' or a space`, "choose a plain path for --cache-dir");
    for (const sub of ["layers", "apt/lists/partial", "apt/cache/archives/partial", "debootstrap"]) mkdirSync(join(dir, sub), { recursive: true });
  }

  get aptLists(): string {
    return join(this.dir, "apt", "lists");
  }

  get aptCache(): string {
    return join(this.dir, "apt", "cache");
  }

  /** flock'ed around apt-get update and downloads (apt/cache/archives is shared by all roots). */
  get aptLock(): string {
    return join(this.dir, "apt", "download.lock");
  }

  get debootstrapCache(): string {
    return join(this.dir, "debootstrap");
  }

  layerPaths(key: string, suffix = ""): LayerPaths {
    const dir = join(this.dir, "layers", `${key}${suffix}`);
    return { dir, root: join(dir, "root"), tarball: join(dir, "layer.tar.gz"), info: join(dir, "layer.json") };
  }

  /** The finished layer under this key, or undefined. */
  layer(key: string): LayerInfo | undefined {
    const paths = this.layerPaths(key);
    if (!existsSync(paths.info) || !existsSync(paths.tarball)) return undefined;
    return JSON.parse(readFileSync(paths.info, "utf8")) as LayerInfo;
  }

  /** A fresh staging directory for building `key`. */
  stage(key: string): LayerPaths {
    const paths = this.layerPaths(key, `.tmp-${process.pid}`);
    rmSync(paths.dir, { recursive: true, force: true });
    mkdirSync(paths.root, { recursive: true });
    return paths;
  }

  /** Moves a completed staging directory under its key. */
  commit(key: string, staged: LayerPaths, info: LayerInfo): LayerInfo {
    writeFileSync(staged.info, `${JSON.stringify(info, null, 2)}\n`);
    const final = this.layerPaths(key);
    rmSync(final.dir, { recursive: true, force: true });
    renameSync(staged.dir, final.dir);
    return info;
  }

  /** Staging directories of builds that are no longer running (their pid is gone). */
  staleStages(): string[] {
    return readdirSync(join(this.dir, "layers"))
      .map((name) => ({ name, pid: Number(/\.tmp-(\d+)$/.exec(name)?.[1]) }))
      .filter((s) => s.pid > 0 && !processAlive(s.pid))
      .map((s) => join(this.dir, "layers", s.name));
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
