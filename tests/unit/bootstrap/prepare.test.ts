import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { prepareBootstrap } from "../../../src/bootstrap/prepare.js";
import { commonOptions } from "../../../src/cli/common.js";
import { DeployError, ValidationFailed } from "../../../src/errors.js";

const INVENTORY = `[control]
node1 ansible_host=10.0.0.11
node2 ansible_host=10.0.0.12

[compute]
node3 ansible_host=10.0.0.13

[deployment]
localhost ansible_connection=local

[baremetal:children]
control
compute
`;

function setup(globals: string, inventory = INVENTORY): { inventory: string; configdir: string } {
  const dir = mkdtempSync(join(tmpdir(), "kd-bs-prep-"));
  writeFileSync(join(dir, "inventory"), inventory);
  writeFileSync(join(dir, "globals.yml"), globals);
  return { inventory: join(dir, "inventory"), configdir: dir };
}

function prep(globals: string, opts: { limit?: string; extraVars?: string[]; inventory?: string } = {}) {
  const s = setup(globals, opts.inventory);
  return prepareBootstrap(commonOptions({ inventory: [s.inventory], configdir: s.configdir, limit: opts.limit, extraVars: opts.extraVars ?? [] }));
}

describe("prepareBootstrap", () => {
  it("targets the baremetal hosts, and kolla's defaults give kolla's daemon.json", () => {
    const p = prep('network_interface: "eth0"\n');
    expect(p.baremetal).toEqual(["node1", "node2", "node3"]);
    expect(p.hosts).toEqual(["node1", "node2", "node3"]);
    const s = p.settings.get("node1")!;
    expect(s.engine).toBe("docker");
    expect(s.dockerDaemon).toEqual({ "log-opts": { "max-file": "5", "max-size": "50m" }, iptables: false, bridge: "none", "ip-forward": false });
    expect(s.kollaUser).toMatchObject({ user: "kolla", group: "kolla", groups: ["sudo", "docker"], sudoers: true });
    expect(s.enginePackage.apt).toBe("docker.io");
    expect(s.aptSources).toEqual([]);
  });

  it("follows globals and -e: insecure registry, mirrors, mtu, custom config, no kolla user, apt sources", () => {
    const p = prep(
      [
        'docker_registry: "10.0.0.1:5000"',
        "docker_registry_insecure: yes",
        'docker_registry_mirrors: ["http://mirror:8082/"]',
        "docker_disable_default_iptables_rules: no",
        'docker_custom_config: {"live-restore": true}',
        "create_kolla_user: false",
        'kolla_apt_sources: "deb [trusted=yes] http://10.0.0.1:8080/ ./"',
      ].join("\n"),
      { extraVars: ["docker_mtu=1450"] },
    );
    const s = p.settings.get("node2")!;
    expect(s.dockerDaemon).toEqual({
      "log-opts": { "max-file": "5", "max-size": "50m" },
      "insecure-registries": ["10.0.0.1:5000"],
      "registry-mirrors": ["http://mirror:8082/"],
      mtu: 1450,
      "live-restore": true,
    });
    expect(s.kollaUser).toBeUndefined();
    expect(s.aptSources).toEqual(["deb [trusted=yes] http://10.0.0.1:8080/ ./"]);
  });

  it("docker_mtu reaches podman's default network when the engine is podman, and only then", () => {
    const podman = prep('kolla_container_engine: "podman"\n', { extraVars: ["docker_mtu=1450"] }).settings.get("node1")!;
    expect(podman.podmanMtu).toBe(1450);
    expect(prep("", { extraVars: ["docker_mtu=1450"] }).settings.get("node1")!.podmanMtu).toBeUndefined();
    expect(prep('kolla_container_engine: "podman"\n').settings.get("node1")!.podmanMtu).toBeUndefined();
  });

  it("--limit narrows the hosts changed, but every baremetal host is still read for /etc/hosts", () => {
    const p = prep("", { limit: "node3" });
    expect(p.hosts).toEqual(["node3"]);
    expect(p.baremetal).toEqual(["node1", "node2", "node3"]);
    expect(() => prep("", { limit: "localhost" })).toThrow(/no host of the 'baremetal' group matches/);
  });

  it("reports every bad value at once, once each, with globals.yml:line and key", () => {
    const globals = ['kolla_container_engine: "lxc"', "docker_mtu: 9", "docker_custom_config: [1]", 'kolla_user: "Bad User"', 'kolla_apt_sources: ["http://x"]'].join("\n");
    let caught: unknown;
    try {
      prep(globals);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationFailed);
    const lines = (caught as ValidationFailed).errors.map((e) => e.oneLine());
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/globals\.yml:1: kolla_container_engine: host node1: unknown container engine "lxc" \[E_BOOTSTRAP_VAR\]/);
    expect(lines.join("\n")).toMatch(/globals\.yml:2: docker_mtu: .*from 68 to 65535, got 9/);
    expect(lines.join("\n")).toMatch(/globals\.yml:5: kolla_apt_sources: .*not a one-line apt source/);
  });

  it("an inventory without a baremetal group is refused with a hint", () => {
    expect(() => prep("", { inventory: "[control]\nnode1\n" })).toThrow(DeployError);
    expect(() => prep("", { inventory: "[control]\nnode1\n" })).toThrow(/no 'baremetal' group/);
  });
});
