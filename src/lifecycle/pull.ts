/**
 * `pull`: pulls the images of the enabled services onto the hosts that run them (kolla's
 * service-images-pull). Always pulls, since tags are mutable; retries transient registry errors;
 * every image of a host is tried even when one fails.
 */
import type { Prepared } from "../apply/prepare.js";
import type { Progress } from "../apply/progress.js";
import { toBool } from "../config/index.js";
import { pullImage, type PullRetry } from "../engine/ops.js";
import type { DeployError } from "../errors.js";
import type { TransportPool } from "../exec/pool.js";
import { mapLimited, type Limiter } from "../limit.js";
import { asDeployError, hostRunner, onEveryHost, type HostResult } from "../apply/fanout.js";
import { enabledServices, ServiceRenderer, unique } from "./check-targets.js";

/** Pulls at once on one host: enough to overlap registry round trips, few enough for its disk. */
const PULLS_PER_HOST = 3;

export interface HostPull {
  readonly pulled: readonly string[];
  readonly failed: readonly { readonly image: string; readonly error: DeployError }[];
}

/** The images a host needs, each once, in site order. */
export function imagesForHost(p: Prepared, host: string, renderer = new ServiceRenderer(p)): string[] {
  return unique(enabledServices(p, p.roles, host).map((hs) => renderer.image(host, hs)));
}

export interface PullEnv {
  readonly p: Prepared;
  readonly pool: TransportPool;
  readonly forks: Limiter;
  readonly progress: Progress;
  /** retry/backoff settings (tests shorten the waits) */
  readonly retry?: PullRetry;
}

/** Images are computed for every host first, so a template error stops the run before any pull. */
export async function pullHosts(env: PullEnv): Promise<HostResult<HostPull>[]> {
  const { p } = env;
  const renderer = new ServiceRenderer(p);
  const images = new Map(p.hosts.map((host) => [host, imagesForHost(p, host, renderer)]));
  return onEveryHost(p.hosts, env.forks, (host) => pullOnHost(env, host, images.get(host)!));
}

async function pullOnHost(env: PullEnv, host: string, images: readonly string[]): Promise<HostPull> {
  const { p } = env;
  const insecureRegistry = toBool(p.config.varsFor(host)["docker_registry_insecure"] ?? false);
  const run = hostRunner(env.pool, host, p.secrets);
  const pulled: string[] = [];
  const failed: { image: string; error: DeployError }[] = [];
  await mapLimited(images, PULLS_PER_HOST, async (image) => {
    const started = Date.now();
    env.progress.step(host, `pull ${image}`);
    try {
      await pullImage(run, p.driver, image, { ...env.retry, insecureRegistry });
      env.progress.done(host, `pull ${image}`, Date.now() - started);
      pulled.push(image);
    } catch (error) {
      const e = asDeployError(error, host);
      env.progress.failed(host, `pull ${image}`, e.oneLine());
      // An unreachable host fails every pull the same way: report it once, as the host's error.
      if (e.code.startsWith("E_HOST")) throw e;
      failed.push({ image, error: e });
    }
  });
  const order = (list: readonly string[]) => images.filter((i) => list.includes(i));
  return { pulled: order(pulled), failed: order(failed.map((f) => f.image)).map((i) => failed.find((f) => f.image === i)!) };
}
