/**
 * The commands of one container change, as kolla's recreate_or_restart_container runs them: pull
 * a missing image before stopping anything (a failed pull must not leave the service down), then
 * create, recreate (stop, remove, start) or restart. Pure.
 */
import { toBool } from "../../config/index.js";
import type { ContainerEngineDriver } from "../../engine/driver.js";
import type { ContainerSpec } from "../../engine/types.js";
import type { ContainerAction, PlannedCommand } from "../types.js";
import { engineOp, NO_SUCH_CONTAINER } from "./command.js";

export interface ContainerOpOptions {
  /** docker_graceful_timeout */
  readonly graceSec: number;
  /** docker_registry_insecure */
  readonly insecureRegistry: boolean;
  /** the image is on the host already (gathered), so nothing is pulled */
  readonly imagePresent: boolean;
}

/** A host's container options from its variables (kolla's names and defaults); the image's presence is the caller's. */
export function containerOptionsOf(vars: Readonly<Record<string, unknown>>): Omit<ContainerOpOptions, "imagePresent"> {
  return { graceSec: Number(vars["docker_graceful_timeout"] ?? 60), insecureRegistry: toBool(vars["docker_registry_insecure"] ?? false) };
}

const ENGINE_HINT = "is the container engine running on that host?";

/** Registries fail transiently: three tries, 2 s then 4 s apart; a missing tag will not appear by retrying. */
export function pullCommand(driver: ContainerEngineDriver, image: string, insecureRegistry: boolean): PlannedCommand {
  const hint = "check docker_registry, docker_namespace and that the image and tag exist there";
  const retry = { attempts: 3, backoffMs: 2000, giveUpOn: "manifest unknown|not found" };
  return { ...engineOp(`pulling ${image}`, driver.pull(image, { insecureRegistry }), hint, { retry }), errorCode: "E_ENGINE_PULL" };
}

export function stopCommand(driver: ContainerEngineDriver, name: string, graceSec: number): PlannedCommand {
  return engineOp(`stopping container ${name}`, driver.stop(name, graceSec), ENGINE_HINT);
}

export function removeCommand(driver: ContainerEngineDriver, name: string, cleanup = false): PlannedCommand {
  return engineOp(`removing container ${name}`, driver.remove(name), ENGINE_HINT, { acceptOutput: NO_SUCH_CONTAINER, ...(cleanup ? { cleanup } : {}) });
}

export function startCommand(driver: ContainerEngineDriver, spec: ContainerSpec): PlannedCommand {
  return engineOp(`starting container ${spec.name}`, driver.run(spec), "see the engine's message; the image must be present");
}

export function restartCommand(driver: ContainerEngineDriver, name: string, graceSec: number): PlannedCommand {
  return engineOp(`restarting container ${name}`, driver.restart(name, graceSec), ENGINE_HINT);
}

export function containerCommands(action: ContainerAction, spec: ContainerSpec, driver: ContainerEngineDriver, opts: ContainerOpOptions): PlannedCommand[] {
  if (action === "none") return [];
  if (action === "restart") return [restartCommand(driver, spec.name, opts.graceSec)];
  const pull = opts.imagePresent ? [] : [pullCommand(driver, spec.image, opts.insecureRegistry)];
  const replace = action === "recreate" ? [stopCommand(driver, spec.name, opts.graceSec), removeCommand(driver, spec.name)] : [];
  return [...pull, ...replace, startCommand(driver, spec)];
}
