/**
 * Everything bootstrap-servers needs to know about a host, read in ONE exec: facts (names and
 * addresses), init system, package manager, engine binaries and whether the daemon answers, the
 * managed files, the kolla user and the config directory. Commands are data; parsing is pure.
 */
import { composeQueries } from "../exec/compose.js";
import type { Command, CommandResult } from "../exec/types.js";
import { parseFacts } from "../plan/gather.js";
import type { HostBootstrapState, PackageManager, RemoteText } from "./types.js";

export interface GatherTargets {
  readonly engine: string;
  readonly user: string;
  readonly groups: readonly string[];
  readonly configDir: string;
  readonly files: readonly string[];
}

const FACTS_SCRIPT = `uname -n; ip -o -4 addr show 2>/dev/null || true`;

// key=value lines; $1 engine, $2 user, $3 config dir, then the groups to look for
const PROBE_SCRIPT = `engine=$1 user=$2 dir=$3; shift 3
init=$(cat /proc/1/comm 2>/dev/null || true)
printf 'init=%s\\n' "$init"
for m in apt-get dnf; do command -v "$m" >/dev/null 2>&1 && printf 'pm=%s\\n' "$m"; done
for b in docker dockerd podman; do command -v "$b" >/dev/null 2>&1 && printf 'bin=%s\\n' "$b"; done
if [ "$engine" = docker ] && command -v docker >/dev/null 2>&1 && timeout 10 docker version >/dev/null 2>&1; then echo answers=1; fi
if [ "$init" = systemd ] && systemctl is-enabled "$engine" >/dev/null 2>&1; then echo enabled=1; fi
for g in "$@"; do getent group "$g" >/dev/null 2>&1 && printf 'group=%s\\n' "$g"; done
if [ -n "$user" ] && id -u "$user" >/dev/null 2>&1; then printf 'usergroups=%s %s\\n' "$(id -gn "$user")" "$(id -Gn "$user")"; fi
[ -f /etc/cloud/cloud.cfg ] && echo cloudinit=1
stat -c 'configdir=%a %U %G' "$dir" 2>/dev/null
true`;

const FILE_SCRIPT = `stat -c '%a %U %G' "$1" && cat "$1"`;
const KEYS_SCRIPT = `h=$(getent passwd "$1" | cut -d: -f6) && [ -n "$h" ] && cat "$h/.ssh/authorized_keys" 2>/dev/null || true`;

export interface BootstrapGather {
  readonly command: Command;
  parse(result: CommandResult): HostBootstrapState;
}

export function bootstrapGather(t: GatherTargets): BootstrapGather {
  const queries: Command[] = [
    { argv: ["sh", "-c", FACTS_SCRIPT], become: true },
    { argv: ["sh", "-c", PROBE_SCRIPT, "kd-probe", t.engine, t.user, t.configDir, ...t.groups], become: true },
    { argv: ["sh", "-c", KEYS_SCRIPT, "kd-keys", t.user], become: true },
    ...t.files.map((path): Command => ({ argv: ["sh", "-c", FILE_SCRIPT, "kd-file", path], become: true })),
  ];
  const composed = composeQueries(queries);
  return {
    command: composed.command,
    parse: (result) => {
      const [facts, probe, keys, ...files] = composed.split(result);
      const p = parseProbe(probe!.stdout);
      return {
        facts: parseFacts(facts!.stdout),
        ...p,
        authorizedKeys: keys!.stdout,
        files: parseFiles(t.files, files),
      };
    },
  };
}

type Probe = Omit<HostBootstrapState, "facts" | "files" | "authorizedKeys">;

export function parseProbe(stdout: string): Probe {
  const values = (key: string): string[] =>
    stdout.split("\n").filter((l) => l.startsWith(`${key}=`)).map((l) => l.slice(key.length + 1).trim());
  const managers = values("pm");
  const packageManager: PackageManager | undefined = managers.includes("apt-get") ? "apt" : managers.includes("dnf") ? "dnf" : undefined;
  const userGroups = values("usergroups")[0];
  const dir = values("configdir")[0]?.split(/\s+/);
  return {
    systemd: values("init")[0] === "systemd",
    packageManager,
    binaries: new Set(values("bin")),
    engineAnswers: values("answers").length > 0,
    engineEnabled: values("enabled").length > 0,
    groupsPresent: new Set(values("group")),
    userGroups: userGroups === undefined ? undefined : [...new Set(userGroups.split(/\s+/).filter((g) => g !== ""))],
    configDir: dir === undefined || dir.length < 3 ? undefined : { mode: parseInt(dir[0]!, 8), owner: dir[1]!, group: dir[2]! },
    cloudInit: values("cloudinit").length > 0,
  };
}

function parseFiles(paths: readonly string[], results: readonly CommandResult[]): Map<string, RemoteText> {
  const files = new Map<string, RemoteText>();
  paths.forEach((path, i) => {
    const r = results[i];
    if (r === undefined || r.code !== 0) return;
    const newline = r.stdout.indexOf("\n");
    const [mode = "644", owner = "root", group = "root"] = r.stdout.slice(0, newline).split(" ");
    files.set(path, { content: r.stdout.slice(newline + 1), mode: parseInt(mode, 8), owner, group });
  });
  return files;
}
