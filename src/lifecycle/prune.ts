/**
 * `prune-images`: removes, on the selected hosts, every image no container uses (kolla's
 * prune-images: the engine's `image prune --all --force`). One exec per host lists the images,
 * prunes and lists again, so the report names what went.
 */
import type { Limiter } from "../limit.js";
import type { Prepared } from "../apply/prepare.js";
import type { Progress } from "../apply/progress.js";
import type { ContainerEngineDriver } from "../engine/driver.js";
import { DeployError } from "../errors.js";
import { composeQueries } from "../exec/compose.js";
import type { TransportPool } from "../exec/pool.js";
import type { Command } from "../exec/types.js";
import { hostRunner, onEveryHost, type HostResult } from "../apply/fanout.js";

export interface HostPrune {
  /** `repository:tag` of each removed image (its id when it had no tag) */
  readonly removed: readonly string[];
  /** what the engine says it reclaimed, when it says (docker does, podman does not) */
  readonly reclaimed?: string;
}

const LIST_FORMAT = "{{.ID}} {{.Repository}}:{{.Tag}}";

/** List, prune, list: the three queries of the one exec. */
export function pruneCommands(driver: ContainerEngineDriver): Command[] {
  const list = driver.listImages(LIST_FORMAT);
  return [list, driver.pruneImages(), list];
}

/** `<id> <repo>:<tag>` lines → id → names (an image can carry many tags). */
export function parseImageList(stdout: string): Map<string, string[]> {
  const images = new Map<string, string[]>();
  for (const line of stdout.split("\n").map((l) => l.trim()).filter((l) => l !== "")) {
    const [id = "", name = ""] = line.split(/\s+/, 2);
    const names = images.get(id) ?? [];
    if (name !== "" && name !== "<none>:<none>") names.push(name);
    images.set(id, names);
  }
  return images;
}

/** The images listed before and not after: what the prune removed, by name (pure). */
export function removedImages(before: string, after: string): string[] {
  const left = parseImageList(after);
  const removed: string[] = [];
  for (const [id, names] of parseImageList(before)) {
    if (left.has(id)) continue;
    removed.push(...(names.length > 0 ? names : [id.replace(/^sha256:/, "").slice(0, 12)]));
  }
  return removed;
}

export function reclaimedSpace(pruneStdout: string): string | undefined {
  return /Total reclaimed space:\s*(\S+)/.exec(pruneStdout)?.[1];
}

export interface PruneEnv {
  readonly p: Prepared;
  readonly pool: TransportPool;
  readonly forks: Limiter;
  readonly progress: Progress;
}

export function pruneHosts(env: PruneEnv): Promise<HostResult<HostPrune>[]> {
  return onEveryHost(env.p.hosts, env.forks, async (host) => {
    const started = Date.now();
    env.progress.step(host, "prune images");
    const composed = composeQueries(pruneCommands(env.p.driver).map((c) => ({ ...c, become: true })));
    const [before, prune, after] = composed.split(await hostRunner(env.pool, host, env.p.secrets)(composed.command));
    for (const part of [before!, prune!, after!]) {
      if (part.code !== 0) {
        const said = part.stderr.trim().split("\n")[0] || `exit code ${part.code}`;
        const e = new DeployError("E_ENGINE_COMMAND", `pruning images: ${said}`, "is the container engine running on that host?", { host });
        env.progress.failed(host, "prune images", e.oneLine());
        throw e;
      }
    }
    const removed = removedImages(before!.stdout, after!.stdout);
    env.progress.done(host, `prune images: ${removed.length} removed`, Date.now() - started);
    const reclaimed = reclaimedSpace(prune!.stdout);
    return reclaimed === undefined ? { removed } : { removed, reclaimed };
  });
}
