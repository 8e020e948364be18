/**
 * What `destroy` removes from one host, decided locally from one gather exec: the containers that
 * exist among the names the roles define, the named volumes they (or the specs) mount, the
 * config directories, the host record, and with --include-images their images. Pure: commands
 * are data, and the engine's answers are classified here.
 */
import type { ContainerEngineDriver } from "../engine/driver.js";
import type { ContainerState } from "../engine/types.js";
import type { Command, CommandResult } from "../exec/types.js";
import { emptyRecord, STATE_FILE, type HostRecord } from "../plan/record.js";
import { namedVolumeOf, unique } from "./check-targets.js";

/** What the roles say could be on the host (before looking at it). */
export interface DestroyScope {
  /** every container name of the selected roles */
  readonly containers: readonly string[];
  /** named volumes of the specs of services mapped to the host */
  readonly volumes: readonly string[];
  /** `<node_config_directory>/<service key>` of every service of the selected roles */
  readonly dirs: readonly string[];
  /** image references of services mapped to the host (only used with --include-images) */
  readonly images: readonly string[];
  readonly roleNames: readonly string[];
  /** true when every role is selected: the record goes entirely */
  readonly wholeRecord: boolean;
}

/** What the host has, from the gather exec. */
export interface DestroyFound {
  readonly containers: ReadonlyMap<string, ContainerState>;
  readonly volumes: readonly string[];
  readonly dirs: readonly string[];
  /** references (from the scope's images) present on the host */
  readonly images: readonly string[];
  readonly record: HostRecord | undefined;
}

export interface DestroyPlan {
  readonly containers: readonly string[];
  readonly volumes: readonly string[];
  readonly dirs: readonly string[];
  readonly images: readonly string[];
  /** "remove": delete the record file; a record: write it back without the destroyed entries; undefined: leave it */
  readonly record: "remove" | HostRecord | undefined;
}

export function planDestroy(scope: DestroyScope, found: DestroyFound, includeImages: boolean): DestroyPlan {
  const containers = scope.containers.filter((n) => found.containers.has(n));
  const mounted = containers.flatMap((n) => found.containers.get(n)!.binds.flatMap((b) => namedVolumeOf(b) ?? []));
  const volumes = unique([...scope.volumes, ...mounted]).filter((v) => found.volumes.includes(v));
  const containerImages = containers.map((n) => found.containers.get(n)!.image).filter((i) => i !== "");
  const images = includeImages ? unique([...found.images, ...containerImages]) : [];
  return { containers, volumes, dirs: [...found.dirs], images, record: recordAfter(scope, found.record) };
}

function recordAfter(scope: DestroyScope, record: HostRecord | undefined): DestroyPlan["record"] {
  if (record === undefined) return undefined;
  if (scope.wholeRecord) return "remove";
  const containers = Object.fromEntries(Object.entries(record.containers).filter(([name]) => !scope.containers.includes(name)));
  // Step ids are `<role>:<index>:<kind>`: a destroyed role's bootstrap must run again on the next deploy.
  const bootstrap = Object.fromEntries(Object.entries(record.bootstrap).filter(([id]) => !scope.roleNames.includes(id.split(":")[0]!)));
  const unchanged = Object.keys(containers).length === Object.keys(record.containers).length && Object.keys(bootstrap).length === Object.keys(record.bootstrap).length;
  return unchanged ? undefined : { ...emptyRecord(), containers, bootstrap };
}

/** The read-only queries of the gather exec, in order: containers, volumes, dirs, images, record. */
export function destroyQueries(driver: ContainerEngineDriver, scope: DestroyScope, includeImages: boolean): Command[] {
  const images = includeImages && scope.images.length > 0 ? driver.inspectImages(scope.images) : { argv: ["true"] };
  return [
    driver.inspectContainers(scope.containers),
    driver.listVolumes(),
    scope.dirs.length > 0 ? { argv: ["ls", "-1d", "--", ...scope.dirs] } : { argv: ["true"] },
    images,
    { argv: ["cat", STATE_FILE] },
  ];
}

export function parseLines(stdout: string): string[] {
  return stdout.split("\n").map((l) => l.trim()).filter((l) => l !== "");
}

/** One removal: the command and how to read its answer. */
export interface Removal {
  readonly kind: "container" | "volume" | "dir" | "record" | "image";
  readonly name: string;
  readonly command: Command;
}

/** Seconds a container gets to exit on SIGTERM before destroy removes it anyway. */
export const DESTROY_GRACE_SEC = 10;

/**
 * Stops before removal, so services shut down cleanly: keepalived gives the VIP back (a killed one
 * leaves it on the interface, where the next deploy's prechecks find it), mariadb flushes.
 */
export function stopCommands(driver: ContainerEngineDriver, plan: DestroyPlan): Command[] {
  return plan.containers.map((name) => driver.stop(name, DESTROY_GRACE_SEC));
}

/** Containers first (they hold the volumes and images), then volumes, files, images. */
export function removalCommands(driver: ContainerEngineDriver, plan: DestroyPlan): Removal[] {
  return [
    ...plan.containers.map((name) => ({ kind: "container" as const, name, command: driver.remove(name) })),
    ...plan.volumes.map((name) => ({ kind: "volume" as const, name, command: driver.removeVolume(name) })),
    ...plan.dirs.map((name) => ({ kind: "dir" as const, name, command: { argv: ["rm", "-rf", "--", name] } })),
    ...(plan.record === "remove" ? [{ kind: "record" as const, name: STATE_FILE, command: { argv: ["rm", "-f", STATE_FILE] } }] : []),
    ...plan.images.map((name) => ({ kind: "image" as const, name, command: driver.removeImage(name) })),
  ];
}

export type RemovalVerdict = "removed" | "gone" | "in use" | "failed";

/**
 * How the engine answered: gone already is fine; a volume or image still used by a container the
 * run does not remove (another role's, with --tags) is kept on purpose, not a failure.
 */
export function classifyRemoval(r: CommandResult): RemovalVerdict {
  if (r.code === 0) return "removed";
  const text = `${r.stderr}\n${r.stdout}`;
  if (/no such (container|volume|image)|image not known|not found/i.test(text)) return "gone";
  if (/in use|being used|is using|conflict|has dependent|used by/i.test(text)) return "in use";
  return "failed";
}
