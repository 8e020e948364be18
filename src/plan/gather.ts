/**
 * Everything a plan needs to know about a host, read in ONE exec: its interfaces (facts), the
 * files in the config directories of every known service, the containers and local images, and the
 * state kolla-deploy recorded there after its last apply. Commands are data; parsing is pure.
 */
import type { Command, CommandResult } from "../command.js";
import type { ContainerEngineDriver } from "../engine/driver.js";
import type { ContainerState } from "../engine/types.js";
import type { HostFacts } from "./host-context.js";
import { parseHostRecord, STATE_FILE, type HostRecord } from "./record.js";

export interface RemoteFile {
  readonly sha256: string;
  readonly mode: number;
  readonly owner: string;
  readonly group: string;
}

export interface HostState {
  readonly facts: HostFacts;
  /** absolute path → file */
  readonly files: ReadonlyMap<string, RemoteFile>;
  readonly containers: ReadonlyMap<string, ContainerState>;
  /** "repo:tag" → image id */
  readonly images: ReadonlyMap<string, string>;
  readonly record: HostRecord;
  /** false when the engine's CLI is missing or its daemon does not answer */
  readonly engineAvailable: boolean;
}

const FACTS_SCRIPT = `hostname; ip -o -4 addr show 2>/dev/null || true`;

// Every regular file directly in the config directories, in ONE find with two batched execs: a
// `kd-st mode owner group path` line and a sha256sum line per file. The old per-file loop forked
// sha256sum, cut and stat for each of ~100 files, which made the hosts' CPU the bench's bottleneck.
// Missing directories are normal (services not on this host): find's complaints are dropped.
export const DIR_STATE_SCRIPT = `[ $# -gt 0 ] || exit 0; find "$@" -maxdepth 1 -type f -exec stat -c 'kd-st %a %U %G %n' -- {} + -exec sha256sum -- {} + 2>/dev/null; true`;

/** The read-only queries of the gather, in order; apply/gather-query.ts runs them as ONE exec. */
export function gatherCommands(driver: ContainerEngineDriver, dirs: readonly string[], containers: readonly string[]): Command[] {
  return [
    { argv: ["sh", "-c", FACTS_SCRIPT], become: true },
    { argv: ["sh", "-c", DIR_STATE_SCRIPT, "kolla-deploy-dirs", ...dirs], become: true },
    { ...driver.inspectContainers(containers), become: true },
    { ...driver.listImages("{{.Repository}}:{{.Tag}} {{.ID}}"), become: true },
    { argv: ["cat", STATE_FILE], become: true },
  ];
}

/** The host's state from the results of gatherCommands, in the same order. */
export function parseGathered(driver: ContainerEngineDriver, dirs: readonly string[], parts: readonly CommandResult[]): HostState {
  const [facts, files, inspect, images, record] = parts;
  const engineAvailable = images!.code === 0;
  return {
    facts: parseFacts(facts!.stdout),
    files: parseDirState(dirs, files!.stdout),
    containers: engineAvailable ? parseContainers(driver, inspect!) : new Map(),
    images: parseImages(images!.stdout),
    record: parseHostRecord(record!.code === 0 ? record!.stdout : ""),
    engineAvailable,
  };
}

export function parseFacts(stdout: string): HostFacts {
  const [hostname = "", ...lines] = stdout.split("\n");
  const ipv4: Record<string, string> = {};
  for (const line of lines) {
    // "2: eth0    inet 198.18.0.11/24 brd ... scope global eth0\ ..."
    const m = /^\d+:\s+(\S+)\s+inet\s+([\d.]+)\//.exec(line);
    if (m !== null && ipv4[m[1]!] === undefined) ipv4[m[1]!] = m[2]!;
  }
  return { hostname: hostname.trim(), ipv4 };
}

/** sha256sum writes `\\` before a line whose name it had to escape (a backslash or newline in it). */
function unescapeSumName(escaped: boolean, name: string): string {
  return escaped ? name.replace(/\\(\\|n)/g, (_m, c: string) => (c === "n" ? "\n" : "\\")) : name;
}

export function parseDirState(dirs: readonly string[], stdout: string): Map<string, RemoteFile> {
  const wanted = new Set(dirs.map((d) => d.replace(/\/+$/, "")));
  const stats = new Map<string, { mode: number; owner: string; group: string }>();
  const sums = new Map<string, string>();
  for (const line of stdout.split("\n")) {
    const st = /^kd-st ([0-7]+) (\S+) (\S+) (.+)$/.exec(line);
    if (st !== null) {
      stats.set(st[4]!, { mode: parseInt(st[1]!, 8), owner: st[2]!, group: st[3]! });
      continue;
    }
    const sum = /^(\\?)([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (sum !== null) sums.set(unescapeSumName(sum[1] === "\\", sum[3]!), sum[2]!);
  }
  const files = new Map<string, RemoteFile>();
  for (const [path, st] of stats) {
    const sha256 = sums.get(path);
    if (sha256 === undefined || !wanted.has(path.slice(0, path.lastIndexOf("/")))) continue;
    files.set(path, { sha256, ...st });
  }
  return files;
}

function parseContainers(driver: ContainerEngineDriver, result: CommandResult): Map<string, ContainerState> {
  if (result.stdout.trim() === "") return new Map();
  return new Map(driver.parseContainers(result.stdout).map((c) => [c.name, c]));
}

export function parseImages(stdout: string): Map<string, string> {
  const images = new Map<string, string>();
  for (const line of stdout.split("\n")) {
    const [ref, id] = line.trim().split(/\s+/);
    if (ref === undefined || id === undefined || ref.includes("<none>")) continue;
    images.set(ref, id.startsWith("sha256:") ? id : `sha256:${id}`);
  }
  return images;
}
