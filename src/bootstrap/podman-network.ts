/**
 * docker_mtu for podman: the MTU of podman's default bridge network ("podman"). Pure.
 *
 * Podman 4.3 has no containers.conf setting for it ([network] names the default network and its
 * subnet only; [engine] network_cmd_options is for rootless slirp4netns/pasta). The MTU is an
 * option of the network definition itself, and which definition podman reads depends on the
 * network backend it picked on first use:
 * - netavark keeps the default network in memory unless /etc/containers/networks/podman.json
 *   exists; podman's own docs say to export it there to change it. Its "options" is a
 *   string → string map: {"mtu": "1450"}.
 * - CNI (Debian bookworm's podman 4.3.1 uses it unless netavark is installed) reads the default
 *   network from /etc/cni/net.d/87-podman-bridge.conflist, a conffile of Debian's podman package;
 *   the bridge plugin takes an integer "mtu". apt installs run with --force-confold, so a file we
 *   wrote before the package keeps our content.
 * Each backend ignores the other's directory, so both are written: an existing file keeps every
 * other setting, a missing one gets podman's default definition. The MTU applies to containers
 * started after the change (kolla's own containers use the host network anyway).
 */
import { DeployError } from "../errors.js";

export const PODMAN_NETAVARK_DEFAULT_NETWORK = "/etc/containers/networks/podman.json";
export const PODMAN_CNI_DEFAULT_NETWORK = "/etc/cni/net.d/87-podman-bridge.conflist";

/** podman 4.3's in-memory default network (libnetwork/netavark createDefaultNetwork); its ID must never change. */
const NETAVARK_DEFAULT = {
  name: "podman",
  id: "2f259bab93aaaaa2542ba43ef33eb990d0999ee1b9924b557b7be53c0b7a1bb9",
  driver: "bridge",
  network_interface: "podman0",
  subnets: [{ subnet: "10.88.0.0/16", gateway: "10.88.0.1" }],
  ipv6_enabled: false,
  internal: false,
  dns_enabled: false,
  // where podman puts it; filled in below
  options: {},
  ipam_options: { driver: "host-local" },
};

/** The conflist Debian's podman 4.3.1 package ships. */
const CNI_DEFAULT = {
  cniVersion: "0.4.0",
  name: "podman",
  plugins: [
    {
      type: "bridge",
      bridge: "cni-podman0",
      isGateway: true,
      ipMasq: true,
      hairpinMode: true,
      ipam: { type: "host-local", routes: [{ dst: "0.0.0.0/0" }], ranges: [[{ subnet: "10.88.0.0/16", gateway: "10.88.0.1" }]] },
    },
    { type: "portmap", capabilities: { portMappings: true } },
    { type: "firewall" },
    { type: "tuning" },
  ],
};

type Json = Record<string, unknown>;

function parseObject(path: string, text: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new DeployError("E_BOOTSTRAP_PODMAN_NETWORK", `${path} is not a JSON object, so docker_mtu cannot be set in it`, `fix or remove ${path}, then run bootstrap-servers again`);
  }
  return value as Json;
}

/** netavark: the network definition with options.mtu set; the current text itself when it already says so. */
export function netavarkNetwork(current: string | undefined, mtu: number): string {
  const net = current === undefined ? structuredClone(NETAVARK_DEFAULT) as Json : parseObject(PODMAN_NETAVARK_DEFAULT_NETWORK, current);
  const options = (net["options"] ?? {}) as Json;
  if (current !== undefined && options["mtu"] === String(mtu)) return current;
  net["options"] = { ...options, mtu: String(mtu) };
  // podman writes these files with a five-space indent
  return JSON.stringify(net, null, 5) + "\n";
}

/** CNI: the conflist with its bridge plugin's mtu set; the current text itself when it already says so. */
export function cniNetwork(current: string | undefined, mtu: number): string {
  const list = current === undefined ? structuredClone(CNI_DEFAULT) as Json : parseObject(PODMAN_CNI_DEFAULT_NETWORK, current);
  const plugins = Array.isArray(list["plugins"]) ? (list["plugins"] as unknown[]) : [];
  const bridge = plugins.find((p): p is Json => p !== null && typeof p === "object" && (p as Json)["type"] === "bridge");
  if (bridge === undefined) {
    throw new DeployError("E_BOOTSTRAP_PODMAN_NETWORK", `${PODMAN_CNI_DEFAULT_NETWORK} has no bridge plugin to carry docker_mtu`, `restore podman's default ${PODMAN_CNI_DEFAULT_NETWORK}, or remove it`);
  }
  if (current !== undefined && bridge["mtu"] === mtu) return current;
  bridge["mtu"] = mtu;
  return JSON.stringify(list, null, 2) + "\n";
}

/**
 * The default-network files docker_mtu asks for. The CNI file only where it exists or apt installs
 * podman (Debian and Ubuntu ship it); netavark's always, since the backend is chosen on first use.
 */
export function podmanNetworkFiles(mtu: number, current: (path: string) => string | undefined, apt: boolean): { path: string; content: string }[] {
  const files = [{ path: PODMAN_NETAVARK_DEFAULT_NETWORK, content: netavarkNetwork(current(PODMAN_NETAVARK_DEFAULT_NETWORK), mtu) }];
  const cni = current(PODMAN_CNI_DEFAULT_NETWORK);
  if (cni !== undefined || apt) files.push({ path: PODMAN_CNI_DEFAULT_NETWORK, content: cniNetwork(cni, mtu) });
  return files;
}
