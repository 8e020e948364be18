/**
 * What destroy must know and undo beyond containers, volumes and files, as kolla's
 * tools/cleanup-containers and tools/cleanup-host do:
 * - guests still running under nova_libvirt: kolla refuses to destroy such a host (the engine
 *   could not stop nova_libvirt with them, and their qemu would outlive libvirt), and so do we;
 * - what neutron's agents leave in the host's own network stack: router and DHCP namespaces,
 *   linuxbridge bridges, VXLAN and tap links. kolla deletes every namespace; we delete only the
 *   ones neutron names (qrouter-, qdhcp-, snat-, fip-), so nothing else on the host is touched.
 * Pure: commands are data.
 */
import type { Command, CommandResult } from "../exec/types.js";

/**
 * libvirt's running domains have a pid file and a status XML in /run/libvirt/qemu (nova_libvirt
 * shares the host's /run); driver.pid there is libvirtd's own, with no XML beside it.
 */
const RUNNING_GUESTS_SCRIPT = `for f in /run/libvirt/qemu/*.pid; do
  [ -e "$f" ] && [ -e "\${f%.pid}.xml" ] || continue
  pid=$(cat "$f" 2>/dev/null) || continue
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$(basename "$f" .pid) $pid"
done
true`;

/** Read-only: "domain pid" per running guest. */
export function runningGuestsQuery(): Command {
  return { argv: ["sh", "-c", RUNNING_GUESTS_SCRIPT] };
}

export interface RunningGuest {
  readonly domain: string;
  readonly pid: number;
}

export function parseRunningGuests(r: CommandResult): RunningGuest[] {
  if (r.code !== 0) return [];
  return r.stdout
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length === 2 && /^\d+$/.test(f[1]!))
    .map(([domain, pid]) => ({ domain: domain!, pid: Number(pid) }));
}

/** Namespace prefixes neutron's L3 and DHCP agents create (legacy, DVR and SNAT routers). */
export const NEUTRON_NETNS_PREFIXES = ["qrouter-", "qdhcp-", "snat-", "fip-"] as const;

const NEUTRON_CLEANUP_SCRIPT = `set -u
for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
  case "$ns" in qrouter-*|qdhcp-*|snat-*|fip-*) ip netns delete "$ns" && echo "netns $ns" ;; esac
done
for link in $(ip -o link show | awk -F': ' '{sub(/@.*/, "", $2); print $2}'); do
  case "$link" in brq*|vxlan-*|tap*) ip link delete "$link" && echo "link $link" ;; esac
done
true`;

/** After the neutron containers are gone: what their agents left on the host (one line per removal). */
export function neutronHostCleanup(): Command {
  return { argv: ["sh", "-c", NEUTRON_CLEANUP_SCRIPT] };
}
