/**
 * haproxy's runtime API, reached through the `haproxy` container's admin socket (kolla's
 * haproxy_main.cfg: /var/lib/kolla/haproxy/haproxy.sock; kolla's haproxy image has socat). The
 * commands are data; the server and backend names travel as arguments, never inside the script.
 */
import type { Command } from "../command.js";
import type { ContainerEngineDriver } from "./driver.js";

export const HAPROXY_CONTAINER = "haproxy";
export const HAPROXY_SOCKET = "/var/lib/kolla/haproxy/haproxy.sock";

/** maint: haproxy sends the server nothing new; ready: back into rotation (its checks still judge it). */
export type ServerState = "maint" | "ready";

// haproxy answers a good `set server` with an empty line, and "No such backend." / "No such
// server." for names this haproxy does not have (an external frontend without an external VIP):
// those are reported, not failures.
const SET_STATE_SCRIPT = `sock=$1; state=$2; server=$3; shift 3
for backend in "$@"; do
  out=$(printf 'set server %s/%s state %s\\n' "$backend" "$server" "$state" | socat stdio "unix-connect:$sock") || exit 3
  case $out in
    "") echo "set $backend" ;;
    "No such"*) echo "absent $backend" ;;
    *) echo "$backend: $out" >&2; exit 4 ;;
  esac
done`;

/** Sets one server's state in each listed backend of the haproxy on this host. */
export function setServerStateCommand(driver: ContainerEngineDriver, server: string, backends: readonly string[], state: ServerState): Command {
  const argv = ["sh", "-c", SET_STATE_SCRIPT, "kolla-deploy-haproxy-state", HAPROXY_SOCKET, state, server, ...backends];
  return { ...driver.exec(HAPROXY_CONTAINER, argv), timeoutMs: 60_000 };
}

export interface ServerStateResult {
  /** backends where the state was set */
  readonly set: string[];
  /** backends this haproxy does not have, or that lack the server */
  readonly absent: string[];
}

export function parseServerState(stdout: string): ServerStateResult {
  const lines = stdout.split("\n").map((l) => l.trim());
  const after = (prefix: string) => lines.filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));
  return { set: after("set "), absent: after("absent ") };
}
