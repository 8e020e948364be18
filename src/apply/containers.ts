/**
 * Applies one container change on its host, as kolla's recreate_or_restart_container does: pull a
 * missing image before stopping anything (a failed pull must not leave the service down), then
 * create, recreate (stop, remove, start) or restart.
 */
import type { ContainerEngineDriver } from "../engine/driver.js";
import { normalizeImageRef } from "../engine/normalize.js";
import { pullImage, removeContainer, restartContainer, startContainer, stopContainer, type CommandRunner } from "../engine/ops.js";
import type { HostState } from "../plan/gather.js";
import type { ContainerChange } from "../plan/types.js";

export interface ContainerOpOptions {
  readonly graceSec: number;
  readonly insecureRegistry: boolean;
}

function imagePresent(state: HostState, image: string): boolean {
  const wanted = normalizeImageRef(image);
  return [...state.images.keys()].some((ref) => normalizeImageRef(ref) === wanted);
}

export async function applyContainerChange(
  change: ContainerChange,
  run: CommandRunner,
  driver: ContainerEngineDriver,
  state: HostState,
  opts: ContainerOpOptions,
): Promise<void> {
  const { spec } = change;
  if (change.action === "none") return;
  if (change.action === "restart") return restartContainer(run, driver, spec.name, opts.graceSec);
  if (!imagePresent(state, spec.image)) await pullImage(run, driver, spec.image, { insecureRegistry: opts.insecureRegistry });
  if (change.action === "recreate") {
    await stopContainer(run, driver, spec.name, opts.graceSec);
    await removeContainer(run, driver, spec.name);
  }
  await startContainer(run, driver, spec);
}
