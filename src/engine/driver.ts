/**
 * The container-engine driver: pure builders of engine commands (as data) and parsers of
 * their output. One driver per `kolla_container_engine`; docker and podman share almost
 * everything, their differences are the `EngineQuirks`.
 */
import type { Command } from "../command.js";
import { DeployError } from "../errors.js";
import { parseContainerInspect, parseImageInspect } from "./inspect.js";
import { desiredEnvironment } from "./normalize.js";
import { hostQueries, type HostQueries } from "./host-queries.js";
import { buildRunOptions } from "./run-args.js";
import type { ContainerSpec, ContainerState, EngineName, ImageInfo } from "./types.js";

export interface PullOptions {
  /** the registry speaks plain HTTP (kolla's docker_registry_insecure) */
  readonly insecureRegistry?: boolean;
}

export interface ExecOptions {
  readonly user?: string;
  /** keep stdin open (`-i`): the command reads a password or a script from it */
  readonly interactive?: boolean;
  /** environment for the command; never secrets (argv shows in the host's process list) */
  readonly env?: Readonly<Record<string, string>>;
}

export interface ContainerEngineDriver extends HostQueries {
  readonly name: EngineName;
  /** create and start, detached */
  run(spec: ContainerSpec): Command;
  /** create and start attached: the command ends when the container does, with its exit code */
  runOnce(spec: ContainerSpec): Command;
  pull(image: string, opts?: PullOptions): Command;
  start(name: string): Command;
  stop(name: string, graceSec: number): Command;
  remove(name: string): Command;
  restart(name: string, graceSec: number): Command;
  exec(name: string, argv: readonly string[], opts?: ExecOptions): Command;
  /** one command for any number of containers; missing ones are simply absent from the output */
  inspectContainers(names: readonly string[]): Command;
  inspectImages(refs: readonly string[]): Command;
  /** a command that runs the healthcheck now, where the engine does not schedule it itself */
  healthProbe(name: string): Command | undefined;
  parseContainers(stdout: string): ContainerState[];
  parseImages(stdout: string): ImageInfo[];
}

export interface EngineQuirks {
  readonly name: EngineName;
  /** extra `pull` flags for a plain-HTTP registry (docker reads that from daemon.json) */
  readonly insecurePullArgs: readonly string[];
  /** podman without systemd has no timer that runs healthchecks: run them on demand */
  readonly healthProbe: (name: string) => readonly string[] | undefined;
}

/** Environment values can be passwords: never let them reach a log or an error. */
function secretsOf(spec: ContainerSpec): string[] {
  return Object.values(desiredEnvironment(spec)).filter((v) => v.length >= 4);
}

function execOptions(opts: ExecOptions): string[] {
  const env = Object.entries(opts.env ?? {}).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
  return [...(opts.interactive ? ["-i"] : []), ...(opts.user ? ["--user", opts.user] : []), ...env];
}

export function createDriver(q: EngineQuirks): ContainerEngineDriver {
  const bin = q.name;
  const cmd = (argv: readonly string[], extra: Partial<Command> = {}): Command => ({ argv: [bin, ...argv], ...extra });
  return {
    ...hostQueries(q.name),
    name: q.name,
    run: (spec) => cmd(["run", "--detach", ...buildRunOptions(spec)], { secrets: secretsOf(spec) }),
    // a one-shot container must not be restarted when it exits, whatever the spec says
    runOnce: (spec) => cmd(["run", ...buildRunOptions({ ...spec, restartPolicy: "no" })], { secrets: secretsOf(spec) }),
    pull: (image, opts = {}) => cmd(["pull", ...(opts.insecureRegistry ? q.insecurePullArgs : []), image]),
    start: (name) => cmd(["start", name]),
    stop: (name, graceSec) => cmd(["stop", "--time", String(graceSec), name], { timeoutMs: (graceSec + 60) * 1000 }),
    remove: (name) => cmd(["rm", "--force", name]),
    restart: (name, graceSec) => cmd(["restart", "--time", String(graceSec), name], { timeoutMs: (graceSec + 60) * 1000 }),
    exec: (name, argv, opts = {}) => cmd(["exec", ...execOptions(opts), name, ...argv]),
    inspectContainers: (names) => cmd(["container", "inspect", ...names]),
    inspectImages: (refs) => cmd(["image", "inspect", ...refs]),
    healthProbe: (name) => {
      const argv = q.healthProbe(name);
      return argv === undefined ? undefined : cmd(argv);
    },
    parseContainers: parseContainerInspect,
    parseImages: parseImageInspect,
  };
}

export const dockerDriver: ContainerEngineDriver = createDriver({
  name: "docker",
  insecurePullArgs: [],
  healthProbe: () => undefined,
});

export const podmanDriver: ContainerEngineDriver = createDriver({
  name: "podman",
  insecurePullArgs: ["--tls-verify=false"],
  healthProbe: (name) => ["healthcheck", "run", name],
});

/** The driver for `kolla_container_engine`. */
export function driverFor(engine: string): ContainerEngineDriver {
  if (engine === "docker") return dockerDriver;
  if (engine === "podman") return podmanDriver;
  throw new DeployError(
    "E_ENGINE_UNKNOWN",
    `kolla_container_engine: unknown container engine ${JSON.stringify(engine)}`,
    'set kolla_container_engine to "docker" or "podman" in globals.yml',
  );
}
