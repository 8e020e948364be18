/** docker_mtu for podman: the default network's definition for netavark and for CNI. */
import { describe, expect, it } from "vitest";
import {
  cniNetwork,
  netavarkNetwork,
  podmanNetworkFiles,
  PODMAN_CNI_DEFAULT_NETWORK,
  PODMAN_NETAVARK_DEFAULT_NETWORK,
} from "../../../src/bootstrap/podman-network.js";
import { DeployError } from "../../../src/errors.js";

/** /etc/cni/net.d/87-podman-bridge.conflist as Debian bookworm's podman 4.3.1 ships it. */
const DEBIAN_CONFLIST = `{
  "cniVersion": "0.4.0",
  "name": "podman",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "cni-podman0",
      "isGateway": true,
      "ipMasq": true,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "routes": [{ "dst": "0.0.0.0/0" }],
        "ranges": [
          [
            {
              "subnet": "10.88.0.0/16",
              "gateway": "10.88.0.1"
            }
          ]
        ]
      }
    },
    {
      "type": "portmap",
      "capabilities": {
        "portMappings": true
      }
    },
    {
      "type": "firewall"
    },
    {
      "type": "tuning"
    }
  ]
}
`;

describe("netavark: /etc/containers/networks/podman.json", () => {
  it("without a file: podman's in-memory default network, with the MTU as a string option", () => {
    const text = netavarkNetwork(undefined, 1450);
    expect(JSON.parse(text)).toEqual({
      name: "podman",
      id: "2f259bab93aaaaa2542ba43ef33eb990d0999ee1b9924b557b7be53c0b7a1bb9",
      driver: "bridge",
      network_interface: "podman0",
      subnets: [{ subnet: "10.88.0.0/16", gateway: "10.88.0.1" }],
      ipv6_enabled: false,
      internal: false,
      dns_enabled: false,
      ipam_options: { driver: "host-local" },
      options: { mtu: "1450" },
    });
    expect(text).toMatch(/^\{\n {5}"name": "podman",\n/);
    expect(text.endsWith("}\n")).toBe(true);
  });

  it("an existing file keeps everything else; one that already says so is returned as it is (no change)", () => {
    const exported = JSON.stringify({ name: "podman", id: "x".repeat(64), subnets: [{ subnet: "10.99.0.0/16" }], options: { isolate: "true" } });
    const updated = JSON.parse(netavarkNetwork(exported, 9000));
    expect(updated.subnets).toEqual([{ subnet: "10.99.0.0/16" }]);
    expect(updated.options).toEqual({ isolate: "true", mtu: "9000" });
    const ours = netavarkNetwork(undefined, 1450);
    expect(netavarkNetwork(ours, 1450)).toBe(ours);
    expect(JSON.parse(netavarkNetwork(ours, 1400)).options).toEqual({ mtu: "1400" });
  });

  it("refuses to rewrite a file it cannot read", () => {
    expect(() => netavarkNetwork("{broken", 1450)).toThrow(DeployError);
    expect(() => netavarkNetwork("[]", 1450)).toThrow(`${PODMAN_NETAVARK_DEFAULT_NETWORK} is not a JSON object, so docker_mtu cannot be set in it`);
  });
});

describe("CNI: /etc/cni/net.d/87-podman-bridge.conflist", () => {
  it("sets the bridge plugin's integer mtu in Debian's file, keeping the rest", () => {
    const list = JSON.parse(cniNetwork(DEBIAN_CONFLIST, 1450));
    const original = JSON.parse(DEBIAN_CONFLIST);
    original.plugins[0].mtu = 1450;
    expect(list).toEqual(original);
  });

  it("without a file writes Debian's default with the mtu; the same mtu again is no change", () => {
    const written = cniNetwork(undefined, 1450);
    expect(written).toBe(cniNetwork(DEBIAN_CONFLIST, 1450));
    expect(cniNetwork(written, 1450)).toBe(written);
  });

  it("refuses a conflist without a bridge plugin", () => {
    expect(() => cniNetwork('{"name": "podman", "plugins": [{"type": "macvlan"}]}', 1450)).toThrow(`${PODMAN_CNI_DEFAULT_NETWORK} has no bridge plugin to carry docker_mtu`);
  });
});

describe("podmanNetworkFiles", () => {
  it("netavark's file always; CNI's where it exists or apt installs podman", () => {
    const none = () => undefined;
    expect(podmanNetworkFiles(1450, none, true).map((f) => f.path)).toEqual([PODMAN_NETAVARK_DEFAULT_NETWORK, PODMAN_CNI_DEFAULT_NETWORK]);
    expect(podmanNetworkFiles(1450, none, false).map((f) => f.path)).toEqual([PODMAN_NETAVARK_DEFAULT_NETWORK]);
    const cniOnDisk = (path: string) => (path === PODMAN_CNI_DEFAULT_NETWORK ? DEBIAN_CONFLIST : undefined);
    expect(podmanNetworkFiles(1450, cniOnDisk, false).map((f) => f.path)).toEqual([PODMAN_NETAVARK_DEFAULT_NETWORK, PODMAN_CNI_DEFAULT_NETWORK]);
  });
});
