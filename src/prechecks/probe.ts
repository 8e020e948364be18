/**
 * The one exec that gathers everything prechecks needs from a host: who it runs as, the engine's
 * version, daemon and data-root free space, interfaces and addresses, listening TCP sockets,
 * running containers, (on keepalived hosts) whether the VIPs already answer a ping, and (on nova
 * compute hosts) /dev/kvm, a host libvirt and the hard limits the engine's containers inherit.
 * Commands are data; parsing is pure (parse.ts).
 */
import { driverFor } from "../engine/driver.js";
import { composeQueries } from "../exec/compose.js";
import type { Command, CommandResult } from "../exec/types.js";
import type { DeployError } from "../errors.js";
import { computeQuery, parseComputeProbe } from "./compute-probe.js";
import { parseAddresses, parseEngineDisk, parseLinks, parseListeners, parsePings } from "./parse.js";
import type { HostProbe } from "./types.js";

const IDENTITY_SCRIPT = `id -un; printf '%s\\n' "\${SUDO_USER:-}"`;

// ss names the owning process; /proc/net/tcp is there even where iproute2's ss is not.
const LISTEN_SCRIPT = `if command -v ss >/dev/null 2>&1; then echo kd-ss; ss -ltnpH
else echo kd-proc; cat /proc/net/tcp /proc/net/tcp6 2>/dev/null; fi`;

// Every VIP at once, so the probe waits one ping timeout at most. busybox stands in for a missing ping.
const PING_SCRIPT = `if command -v ping >/dev/null 2>&1; then p=ping
elif command -v busybox >/dev/null 2>&1; then p="busybox ping"
else echo kd-noping; exit 0; fi
for ip in "$@"; do
  ( if $p -c 1 -W 1 "$ip" >/dev/null 2>&1; then echo "kd-vip $ip yes"; else echo "kd-vip $ip no"; fi ) &
done
wait`;

export interface ProbeQuery {
  /** The composed command; run it with become (root), or without when sudo is refused. */
  command(become: boolean): Command;
  /** undefined when the composed script did not run at all (e.g. sudo missing). */
  parse(result: CommandResult, sudoError?: DeployError): HostProbe | undefined;
}

/** `compute`: add the compute query (/dev/kvm, host libvirt, engine limits) for a nova compute host. */
export function probeQuery(engine: "docker" | "podman", pingVips: readonly string[], compute = false): ProbeQuery {
  const driver = driverFor(engine);
  const queries: Command[] = [
    { argv: ["sh", "-c", IDENTITY_SCRIPT] },
    driver.version(),
    driver.dataRootUsage(),
    { argv: ["ip", "-o", "link", "show"] },
    { argv: ["ip", "-o", "addr", "show"] },
    { argv: ["sh", "-c", LISTEN_SCRIPT] },
    driver.runningNames(),
    ...(pingVips.length === 0 ? [] : [{ argv: ["sh", "-c", PING_SCRIPT, "kolla-deploy-vip", ...pingVips] }]),
    ...(compute ? [computeQuery(engine)] : []),
  ];
  const composed = composeQueries(queries);
  return {
    command: (become) => ({ ...composed.command, become }),
    parse: (result, sudoError) => {
      const parts = composed.split(result);
      if (parts[0]!.code === 255 && parts[0]!.stdout === "") return undefined;
      return assembleProbe(parts, pingVips.length > 0, compute, sudoError);
    },
  };
}

function assembleProbe(parts: readonly CommandResult[], pinged: boolean, computed: boolean, sudoError: DeployError | undefined): HostProbe {
  const [identity, version, engineDisk, links, addrs, listen, ps, ...optional] = parts as CommandResult[];
  const ping = pinged ? optional.shift() : undefined;
  const compute = computed ? optional.shift() : undefined;
  const [user = "", sudoUser = ""] = identity!.stdout.split("\n");
  const info = parseEngineDisk(engineDisk!.stdout);
  const listeners = parseListeners(listen!.stdout);
  const pings = pinged ? parsePings(ping!.stdout) : {};
  return {
    identity: { user: user.trim(), sudoUser: sudoUser.trim() },
    ...(sudoError === undefined ? {} : { sudoError }),
    engineVersion: { code: version!.code, output: (version!.stdout + version!.stderr).trim() },
    engineInfo: { answers: info.answers, root: info.root, error: info.error },
    ...(info.diskFreeKb === undefined ? {} : { diskFreeKb: info.diskFreeKb }),
    links: parseLinks(links!.stdout),
    addresses: parseAddresses(addrs!.stdout),
    ...(listeners === undefined ? {} : { listeners }),
    ...(ps!.code === 0 ? { running: ps!.stdout.split("\n").map((l) => l.trim()).filter((l) => l !== "") } : {}),
    ...(pings === undefined ? {} : { vipAnswers: pings }),
    ...(compute === undefined || compute.code !== 0 ? {} : { compute: parseComputeProbe(compute.stdout) }),
  };
}
