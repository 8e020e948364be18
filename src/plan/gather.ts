/**
 * Everything a plan needs to know about a host, read in ONE exec: its interfaces (facts), the
 * files in the config directories of every known service, the containers and local images, and the
 * state kolla-deploy recorded there after its last apply. Commands are data; parsing is pure.
 */
import { composeQueries } from "../exec/compose.js";
import type { Command, CommandResult } from "../exec/types.js";
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

// One line per regular file: index of the directory, sha256, mode, owner, group, then the name (may hold spaces).
const DIR_STATE_SCRIPT = `i=0
for d in "$@"; do
  if [ -d "$d" ]; then
    for f in "$d"/* "$d"/.[!.]*; do
      [ -f "$f" ] || continue
      s=$(sha256sum < "$f" | cut -d ' ' -f 1)
      printf 'kd-ds %s %s %s %s\\n' "$i" "$s" "$(stat -c '%a %U %G' "$f")" "\${f##*/}"
    done
  fi
  i=$((i + 1))
done`;

export interface GatherQuery {
  readonly command: Command;
  parse(result: CommandResult): HostState;
}

export function gatherQuery(driver: ContainerEngineDriver, dirs: readonly string[], containers: readonly string[]): GatherQuery {
  const queries: Command[] = [
    { argv: ["sh", "-c", FACTS_SCRIPT], become: true },
    { argv: ["sh", "-c", DIR_STATE_SCRIPT, "kolla-deploy-dirs", ...dirs], become: true },
    { ...driver.inspectContainers(containers), become: true },
    { argv: [driver.name, "image", "ls", "--no-trunc", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}"], become: true },
    { argv: ["cat", STATE_FILE], become: true },
  ];
  const composed = composeQueries(queries);
  return {
    command: composed.command,
    parse: (result) => {
      const [facts, files, inspect, images, record] = composed.split(result);
      const engineAvailable = images!.code === 0;
      return {
        facts: parseFacts(facts!.stdout),
        files: parseDirState(dirs, files!.stdout),
        containers: engineAvailable ? parseContainers(driver, inspect!) : new Map(),
        images: parseImages(images!.stdout),
        record: parseHostRecord(record!.code === 0 ? record!.stdout : ""),
        engineAvailable,
      };
    },
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

export function parseDirState(dirs: readonly string[], stdout: string): Map<string, RemoteFile> {
  const files = new Map<string, RemoteFile>();
  for (const line of stdout.split("\n")) {
    const m = /^kd-ds (\d+) ([0-9a-f]{64}) ([0-7]+) (\S+) (\S+) (.+)$/.exec(line);
    if (m === null) continue;
    const dir = dirs[Number(m[1])];
    if (dir === undefined) continue;
    files.set(`${dir}/${m[6]}`, { sha256: m[2]!, mode: parseInt(m[3]!, 8), owner: m[4]!, group: m[5]! });
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
