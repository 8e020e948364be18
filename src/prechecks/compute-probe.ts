/**
 * The compute part of the probe exec (only on hosts running nova-compute or nova-libvirt): whether
 * /dev/kvm is a character device, whether the host runs a libvirt of its own, the hard rlimits the
 * engine's containers inherit and whether the engine may raise them (CAP_SYS_RESOURCE in its
 * bounding set, initial user namespace), fs.nr_open and kernel.pid_max. Read-only; the parser is pure.
 */
import type { Command } from "../exec/types.js";
import { parseProcLimits } from "./limits.js";
import type { ComputeProbe, LimitSource } from "./types.js";

/**
 * $1 = engine. docker: containerd (dockerd's own child first; it starts the shims whose limits runc
 * passes on) and dockerd (its pid file, else by name), then daemon.json. podman: this shell's own
 * limits (podman runs as this same root and its containers inherit them), then containers.conf in
 * podman's reading order. `grep -lx NAME /proc/[0-9]*\/comm` finds processes in one fork.
 */
const COMPUTE_SCRIPT = `if [ -c /dev/kvm ]; then echo "kd-kvm chr"; elif [ -e /dev/kvm ]; then echo "kd-kvm other"; else echo "kd-kvm missing"; fi
if [ -e /run/libvirt/libvirt-sock ] || [ -e /var/run/libvirt/libvirt-sock ]; then echo kd-libvirt-sock; fi
pids() { grep -lx "$1" /proc/[0-9]*/comm 2>/dev/null | cut -d/ -f3; }
limits() {
  [ -r "/proc/$2/limits" ] || return 0
  echo "kd-limits $1 $2"
  sed -n 's/^CapBnd:[[:space:]]*/kd-capbnd /p' "/proc/$2/status" 2>/dev/null
  sed 's/^/kd-uidmap /' "/proc/$2/uid_map" 2>/dev/null
  cat "/proc/$2/limits"
  echo kd-end
}
echo "kd-nr-open $(cat /proc/sys/fs/nr_open 2>/dev/null)"
echo "kd-pid-max $(cat /proc/sys/kernel/pid_max 2>/dev/null)"
conf() { [ -f "$1" ] || return 0; echo "kd-conf $1"; cat "$1"; echo; echo kd-end; }
if [ "$1" = docker ]; then
  d=$(cat /run/docker.pid 2>/dev/null || cat /var/run/docker.pid 2>/dev/null || true)
  if [ -z "$d" ] || [ "$(cat "/proc/$d/comm" 2>/dev/null)" != dockerd ]; then d=$(pids dockerd | head -n 1); fi
  c=
  for p in $(pids containerd); do
    [ -z "$c" ] && c=$p
    if [ -n "$d" ] && grep -q "^PPid:[[:space:]]*$d\\$" "/proc/$p/status" 2>/dev/null; then c=$p; break; fi
  done
  [ -n "$c" ] && limits containerd "$c"
  [ -n "$d" ] && limits dockerd "$d"
  conf /etc/docker/daemon.json
else
  limits shell $$
  for f in /usr/share/containers/containers.conf /etc/containers/containers.conf /etc/containers/containers.conf.d/*.conf; do conf "$f"; done
fi
true`;

export function computeQuery(engine: "docker" | "podman"): Command {
  return { argv: ["sh", "-c", COMPUTE_SCRIPT, "kolla-deploy-compute", engine] };
}

/** CAP_SYS_RESOURCE's bit in a capability set. */
const CAP_SYS_RESOURCE = 24n;
/** The initial user namespace maps every id to itself. */
const IDENTITY_UID_MAP = /^\s*0\s+0\s+4294967295\s*$/;

/** A `kd-limits` block: `kd-capbnd HEX`, `kd-uidmap LINE`s, then /proc/<pid>/limits. */
function limitSource(process: string, pid: number, body: string): LimitSource {
  const lines = body.split("\n");
  const capbnd = lines.find((l) => l.startsWith("kd-capbnd "))?.slice(10).trim() ?? "";
  const uidMap = lines.filter((l) => l.startsWith("kd-uidmap ")).map((l) => l.slice(10));
  const hasCap = /^[0-9a-fA-F]{1,16}$/.test(capbnd) && ((BigInt(`0x${capbnd}`) >> CAP_SYS_RESOURCE) & 1n) === 1n;
  const initialNs = uidMap.length === 1 && IDENTITY_UID_MAP.test(uidMap[0]!);
  return { process, pid, limits: parseProcLimits(body), canRaise: hasCap && initialNs };
}

function positive(text: string): number | undefined {
  const n = Number(text.trim());
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** The compute script's output → ComputeProbe. Blocks (`kd-limits`, `kd-conf`) run to a `kd-end` line. */
export function parseComputeProbe(stdout: string): ComputeProbe {
  const lines = stdout.split("\n");
  let kvm: ComputeProbe["kvm"] = "missing";
  let hostLibvirtSocket = false;
  let nrOpen: number | undefined;
  let pidMax: number | undefined;
  const limitSources: LimitSource[] = [];
  const engineConfigs: { path: string; text: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const block = (): string => {
      const end = lines.indexOf("kd-end", i + 1);
      const body = lines.slice(i + 1, end < 0 ? lines.length : end).join("\n");
      i = end < 0 ? lines.length : end;
      return body;
    };
    const kvmLine = /^kd-kvm (chr|other|missing)$/.exec(line);
    const limits = /^kd-limits (\S+) (\d+)$/.exec(line);
    if (kvmLine !== null) kvm = kvmLine[1] as ComputeProbe["kvm"];
    else if (line === "kd-libvirt-sock") hostLibvirtSocket = true;
    else if (limits !== null) limitSources.push(limitSource(limits[1]!, Number(limits[2]), block()));
    else if (line.startsWith("kd-conf ")) engineConfigs.push({ path: line.slice(8), text: block() });
    else if (line.startsWith("kd-nr-open ")) nrOpen = positive(line.slice(11));
    else if (line.startsWith("kd-pid-max ")) pidMax = positive(line.slice(11));
  }
  return { kvm, hostLibvirtSocket, limitSources, engineConfigs, ...(nrOpen === undefined ? {} : { nrOpen }), ...(pidMax === undefined ? {} : { pidMax }) };
}
