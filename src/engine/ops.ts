/**
 * Small async operations on one host's engine. They take a runner (whatever runs a Command
 * there: the SSH transport, or a test runner) so the engine never depends on the transport.
 */
import type { Command, CommandResult, CommandRunner } from "../command.js";
import { DeployError } from "../errors.js";
import type { ContainerEngineDriver, PullOptions } from "./driver.js";
import type { ContainerSpec, ContainerState, ImageInfo } from "./types.js";

export type { CommandRunner };

export interface Timing {
  /** injectable for tests; defaults to a real timer */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** First non-empty line of stderr (then stdout): the engine's own explanation. */
function firstLine(r: CommandResult): string {
  const line = `${r.stderr}\n${r.stdout}`.split("\n").find((l) => l.trim() !== "");
  return (line ?? `exit code ${r.code}`).trim();
}

function engineError(code: string, what: string, r: CommandResult, hint: string): DeployError {
  return new DeployError(code, `${what}: ${firstLine(r)}`, hint);
}

async function runChecked(run: CommandRunner, cmd: Command, what: string, hint: string): Promise<CommandResult> {
  const r = await run(cmd);
  if (r.code !== 0) throw engineError("E_ENGINE_COMMAND", what, r, hint);
  return r;
}

export interface PullRetry extends Timing, PullOptions {
  readonly attempts?: number;
  /** first wait; doubled after each failure */
  readonly backoffMs?: number;
}

/** Pulls an image, retrying with exponential backoff (registries fail transiently). */
export async function pullImage(run: CommandRunner, driver: ContainerEngineDriver, image: string, opts: PullRetry = {}): Promise<void> {
  const attempts = opts.attempts ?? 3;
  const sleep = opts.sleep ?? realSleep;
  let wait = opts.backoffMs ?? 2000;
  for (let attempt = 1; ; attempt++) {
    const r = await run(driver.pull(image, opts));
    if (r.code === 0) return;
    // A tag the registry does not have will not appear by retrying.
    if (/manifest unknown|not found/i.test(`${r.stderr}${r.stdout}`)) {
      throw engineError("E_ENGINE_PULL", `pulling ${image} failed, the registry does not have it`, r, "check docker_registry, docker_namespace and the tag");
    }
    if (attempt >= attempts) {
      throw engineError("E_ENGINE_PULL", `pulling ${image} failed ${attempts} times`, r, "check docker_registry and that the image and tag exist there");
    }
    await sleep(wait);
    wait *= 2;
  }
}

/** Creates and starts a container (detached). */
export async function startContainer(run: CommandRunner, driver: ContainerEngineDriver, spec: ContainerSpec): Promise<void> {
  await runChecked(run, driver.run(spec), `starting container ${spec.name}`, "see the engine's message; the image must be present");
}

export async function stopContainer(run: CommandRunner, driver: ContainerEngineDriver, name: string, graceSec = 10): Promise<void> {
  await runChecked(run, driver.stop(name, graceSec), `stopping container ${name}`, "is the container engine running on that host?");
}

/** Removes a container, running or not; a missing one is fine. */
export async function removeContainer(run: CommandRunner, driver: ContainerEngineDriver, name: string): Promise<void> {
  const r = await run(driver.remove(name));
  if (r.code !== 0 && !/no such container/i.test(`${r.stderr}${r.stdout}`)) {
    throw engineError("E_ENGINE_COMMAND", `removing container ${name}`, r, "is the container engine running on that host?");
  }
}

export async function restartContainer(run: CommandRunner, driver: ContainerEngineDriver, name: string, graceSec = 10): Promise<void> {
  await runChecked(run, driver.restart(name, graceSec), `restarting container ${name}`, "is the container engine running on that host?");
}

/** Runs argv inside a container; the caller judges the exit code. */
export function execInContainer(run: CommandRunner, driver: ContainerEngineDriver, name: string, argv: readonly string[], user?: string): Promise<CommandResult> {
  return run(driver.exec(name, argv, user === undefined ? {} : { user }));
}

/**
 * A one-shot container (kolla's bootstrap containers): start it attached, wait for it to end,
 * capture exit code and output, and remove it whatever happened.
 */
export async function runOneShot(run: CommandRunner, driver: ContainerEngineDriver, spec: ContainerSpec): Promise<CommandResult> {
  await removeContainer(run, driver, spec.name);
  try {
    return await run(driver.runOnce(spec));
  } finally {
    await removeContainer(run, driver, spec.name);
  }
}

/** Inspects many containers in ONE command; names that do not exist are absent from the map. */
export async function inspectContainers(run: CommandRunner, driver: ContainerEngineDriver, names: readonly string[]): Promise<Map<string, ContainerState>> {
  if (names.length === 0) return new Map();
  const r = await run(driver.inspectContainers(names));
  const states = parseOrThrow(r, () => driver.parseContainers(r.stdout), "inspecting containers");
  return new Map(states.map((s) => [s.name, s]));
}

/** Image ids for many references in one command; references not present locally are absent. */
export async function inspectImages(run: CommandRunner, driver: ContainerEngineDriver, refs: readonly string[]): Promise<Map<string, ImageInfo>> {
  if (refs.length === 0) return new Map();
  const r = await run(driver.inspectImages(refs));
  const images = parseOrThrow(r, () => driver.parseImages(r.stdout), "inspecting images");
  const byRef = new Map<string, ImageInfo>();
  for (const ref of refs) {
    const found = images.find((img) => img.repoTags.some((t) => sameRef(t, ref)));
    if (found !== undefined) byRef.set(ref, found);
  }
  return byRef;
}

function sameRef(tag: string, ref: string): boolean {
  const strip = (s: string): string => s.replace(/^(docker\.io\/library\/|docker\.io\/|localhost\/)/, "");
  const withTag = (s: string): string => (s.slice(s.lastIndexOf("/") + 1).includes(":") ? s : `${s}:latest`);
  return withTag(strip(tag)) === withTag(strip(ref));
}

/**
 * Both engines exit non-zero when one of several names is missing but still print the rest;
 * any other failure (daemon down, bad output) is an error.
 */
function parseOrThrow<T>(r: CommandResult, parse: () => T[], what: string): T[] {
  // docker: "No such container|image"; podman 4.3: "no such container", "image not known"
  const onlyMissing = r.code === 0 || /no such|image not known/i.test(r.stderr);
  if (!onlyMissing) throw engineError("E_ENGINE_INSPECT", what, r, "is the container engine running on that host?");
  try {
    return parse();
  } catch {
    throw engineError("E_ENGINE_INSPECT", `${what}: unreadable output`, r, "is the container engine running on that host?");
  }
}

export interface HealthWait extends Timing {
  readonly timeoutMs: number;
  readonly pollMs?: number;
}

/**
 * Polls until the container reports healthy. Fails at once if it stops running, and at the
 * timeout with the last health probe's output (what the operator needs to see).
 */
export async function waitUntilHealthy(run: CommandRunner, driver: ContainerEngineDriver, name: string, opts: HealthWait): Promise<ContainerState> {
  const sleep = opts.sleep ?? realSleep;
  const now = opts.now ?? Date.now;
  const deadline = now() + opts.timeoutMs;
  for (;;) {
    const probe = driver.healthProbe(name);
    if (probe !== undefined) await run(probe);
    const state = (await inspectContainers(run, driver, [name])).get(name);
    if (state === undefined) throw new DeployError("E_ENGINE_HEALTH", `container ${name} does not exist`, "was it started?");
    if (state.status !== "running") {
      throw new DeployError("E_ENGINE_HEALTH", `container ${name} is not running (${state.status}, exit code ${state.exitCode})`, `see: ${driver.name} logs ${name}`);
    }
    if (state.health === undefined || state.health === "healthy") return state;
    // The engine says unhealthy only after `retries` failed probes past the start period: a verdict, not a phase.
    if (state.health === "unhealthy") {
      const last = state.healthLog ? `: ${state.healthLog.split("\n")[0]}` : "";
      throw new DeployError("E_ENGINE_HEALTH", `container ${name} is unhealthy${last}`, `see: ${driver.name} inspect ${name}`);
    }
    if (now() >= deadline) {
      const last = state.healthLog ? `; last check said: ${state.healthLog.split("\n")[0]}` : "";
      throw new DeployError("E_ENGINE_HEALTH", `container ${name} not healthy after ${opts.timeoutMs} ms (${state.health})${last}`, `see: ${driver.name} inspect ${name}`);
    }
    await sleep(opts.pollMs ?? 1000);
  }
}
