/** Verdicts from probes: every check passing on a healthy host, and one clear line per problem. */
import { describe, expect, it } from "vitest";
import { DeployError } from "../../../src/errors.js";
import { checkDisk, checkEngine, checkInterfaces, checkPorts, checkSudo, checkVip, clusterView, evaluateHost } from "../../../src/prechecks/evaluate.js";
import type { HostExpectations, HostProbe } from "../../../src/prechecks/types.js";

const GiB = 1024 * 1024;

function expectations(over: Partial<HostExpectations> = {}): HostExpectations {
  return {
    host: "node1",
    engine: "docker",
    interfaces: [
      { variable: "network_interface", iface: "eth0", needsAddress: true, origin: "/etc/kolla/globals.yml:2" },
      { variable: "api_interface", iface: "eth0", needsAddress: true },
      { variable: "neutron_external_interface", iface: "eth1", needsAddress: false },
    ],
    configProblems: [],
    ports: [
      { port: 11211, label: "memcached_port", container: "memcached" },
      { port: 5000, label: "keystone_internal backend", container: "keystone" },
      { port: 5000, bindAddress: "10.0.0.250", label: "haproxy frontend keystone_internal", container: "haproxy" },
    ],
    pingVips: ["10.0.0.250"],
    vips: [{ address: "10.0.0.250", variable: "kolla_internal_vip_address" }],
    keepalivedContainer: "keepalived",
    minDiskGb: 10,
    ...over,
  };
}

function probe(over: Partial<HostProbe> = {}): HostProbe {
  return {
    identity: { user: "root", sudoUser: "" },
    engineVersion: { code: 0, output: "Docker version 28.2.2, build e6534b4" },
    engineInfo: { answers: true, root: "/var/lib/docker", error: "" },
    diskFreeKb: 80 * GiB,
    links: [
      { name: "lo", up: true },
      { name: "eth0", up: true },
      { name: "eth1", up: true },
    ],
    addresses: { lo: ["127.0.0.1"], eth0: ["10.0.0.11", "fe80::1"] },
    listeners: [{ address: "0.0.0.0", port: 22, process: "sshd (pid 68)" }],
    running: [],
    vipAnswers: { "10.0.0.250": false },
    ...over,
  };
}

const lines = (o: { problems: readonly DeployError[] }) => o.problems.map((e) => e.oneLine());

describe("a healthy host", () => {
  it("passes every check, with notes saying what was found", () => {
    const outcomes = evaluateHost(expectations(), probe(), {});
    expect(outcomes.map((o) => [o.check, o.status])).toEqual([
      ["sudo", "ok"],
      ["engine", "ok"],
      ["disk", "ok"],
      ["interfaces", "ok"],
      ["vip", "ok"],
      ["ports", "ok"],
      ["compute", "n/a"],
    ]);
    expect(outcomes.find((o) => o.check === "engine")!.note).toBe("docker 28.2.2");
    expect(outcomes.find((o) => o.check === "disk")!.note).toBe("80.0 GiB free under /var/lib/docker");
  });
});

describe("sudo", () => {
  it("says whose sudo worked, or that none was needed", () => {
    expect(checkSudo("node1", probe({ identity: { user: "root", sudoUser: "kolla" } })).note).toBe("sudo -n works for kolla");
    expect(checkSudo("node1", probe()).note).toBe("runs as root, no sudo needed");
  });

  it("fails with the refusal when sudo was refused", () => {
    const refused = new DeployError("E_HOST_BECOME", "sudo to root refused: sudo: a password is required", "give the SSH user passwordless sudo", { host: "node1" });
    const o = checkSudo("node1", probe({ sudoError: refused }));
    expect(o.status).toBe("fail");
    expect(lines(o)).toEqual(["host node1: sudo to root refused: sudo: a password is required [E_PRECHECK_SUDO] (hint: give the SSH user passwordless sudo)"]);
  });
});

describe("engine", () => {
  it("fails when the engine is missing", () => {
    const o = checkEngine("node3", expectations(), probe({ engineVersion: { code: 127, output: "sh: 1: docker: not found" } }));
    expect(lines(o)).toEqual([
      "host node3: docker is not installed (docker --version: sh: 1: docker: not found) [E_PRECHECK_ENGINE] (hint: install docker 18.09 or newer (kolla-ansible bootstrap-servers does), or set kolla_container_engine)",
    ]);
  });

  it("fails below kolla's minimum: docker 18.09, podman 4.0", () => {
    expect(lines(checkEngine("n", expectations(), probe({ engineVersion: { code: 0, output: "Docker version 18.06.3-ce, build d7080c1" } })))[0]).toContain(
      "docker 18.6.3 is older than the minimum 18.09",
    );
    expect(checkEngine("n", expectations(), probe({ engineVersion: { code: 0, output: "Docker version 18.09.0, build 4d60db4" } })).status).toBe("ok");
    const podman = expectations({ engine: "podman" });
    expect(lines(checkEngine("n", podman, probe({ engineVersion: { code: 0, output: "podman version 3.4.4" } })))[0]).toContain("podman 3.4.4 is older than the minimum 4.0");
    expect(checkEngine("n", podman, probe({ engineVersion: { code: 0, output: "podman version 4.3.1" } })).status).toBe("ok");
  });

  it("fails when the daemon does not answer, quoting why", () => {
    const o = checkEngine("node2", expectations(), probe({ engineInfo: { answers: false, root: "/var/lib/docker", error: "Cannot connect to the Docker daemon" } }));
    expect(lines(o)[0]).toBe("host node2: docker 28.2.2 is installed but does not answer (Cannot connect to the Docker daemon) [E_PRECHECK_ENGINE] (hint: start the docker service on node2)");
  });
});

describe("disk", () => {
  it("fails below prechecks_min_disk_gb, naming the directory and the threshold", () => {
    const o = checkDisk("node1", expectations({ minDiskGb: 100 }), probe());
    expect(lines(o)[0]).toMatch(/^host node1: only 80\.0 GiB free under \/var\/lib\/docker, below prechecks_min_disk_gb=100 \[E_PRECHECK_DISK\]/);
  });
});

describe("interfaces", () => {
  it("reports a missing interface once, with every variable naming it, where it was set, and what the host has", () => {
    const exp = expectations({
      interfaces: [
        { variable: "network_interface", iface: "eth9", needsAddress: true, origin: "/etc/kolla/globals.yml:2" },
        { variable: "api_interface", iface: "eth9", needsAddress: true },
      ],
    });
    expect(lines(checkInterfaces("node1", exp, probe()))).toEqual([
      "host node1: interface eth9 (network_interface, api_interface) does not exist on node1 (it has: lo, eth0, eth1) [E_PRECHECK_INTERFACE] " +
        "(hint: set network_interface (/etc/kolla/globals.yml:2) to an interface that exists on node1, or override it for this host in host_vars)",
    ]);
  });

  it("needs an address (not only link-local) where kolla needs one, and none for neutron_external_interface", () => {
    const p = probe({ addresses: { eth0: ["fe80::1"] } });
    expect(lines(checkInterfaces("node1", expectations(), p))).toEqual([
      expect.stringContaining("interface eth0 (network_interface, api_interface) has no IP address on node1"),
    ]);
  });

  it("reports a down interface", () => {
    const p = probe({ links: [{ name: "eth0", up: true }, { name: "eth1", up: false }] });
    expect(lines(checkInterfaces("node1", expectations(), p))[0]).toContain("interface eth1 (neutron_external_interface) is down on node1");
  });
});

describe("vip", () => {
  it("fails when the VIP answers before keepalived runs, or is assigned to an interface", () => {
    expect(lines(checkVip("node1", expectations(), probe({ vipAnswers: { "10.0.0.250": true } }), {}))[0]).toContain(
      "VIP 10.0.0.250 (kolla_internal_vip_address) answers ping from node1 before keepalived runs",
    );
    const assigned = probe({ addresses: { eth0: ["10.0.0.11", "10.0.0.250"] } });
    expect(lines(checkVip("node1", expectations(), assigned, {}))[0]).toContain("VIP 10.0.0.250 (kolla_internal_vip_address) is already assigned to eth0 on node1");
  });

  it("passes while our keepalived runs somewhere (then the VIP answering is expected)", () => {
    const answering = probe({ vipAnswers: { "10.0.0.250": true }, running: ["keepalived"] });
    const cluster = clusterView(new Map([["node2", answering]]), "keepalived");
    expect(cluster).toEqual({ keepalivedOn: "node2" });
    const o = checkVip("node1", expectations(), probe({ vipAnswers: { "10.0.0.250": true } }), cluster);
    expect([o.status, o.note]).toEqual(["ok", "keepalived runs on node2"]);
  });

  it("is not applicable without keepalived, and reports an unset VIP", () => {
    expect(checkVip("node1", expectations({ vips: [], pingVips: [] }), probe(), {}).status).toBe("n/a");
    const unset = new DeployError("E_PRECHECK_VIP", "kolla_internal_vip_address is not set, but keepalived runs here", "set it", { host: "node1" });
    expect(checkVip("node1", expectations({ configProblems: [unset] }), probe(), {}).status).toBe("fail");
  });
});

describe("ports", () => {
  it("reports a port taken by something else in one line, naming the process and every need", () => {
    const p = probe({ listeners: [{ address: "*", port: 11211, process: "nc (pid 351)" }, { address: "0.0.0.0", port: 5000 }] });
    expect(lines(checkPorts("node1", expectations(), p))).toEqual([
      "host node1: port 11211 (memcached_port of memcached) is already taken by nc (pid 351) listening on *:11211 [E_PRECHECK_PORT] " +
        "(hint: stop what listens on 11211 on node1 (it is not our container), or move the service to another port)",
      "host node1: port 5000 (keystone_internal backend of keystone; haproxy frontend keystone_internal of haproxy) is already taken by a process listening on 0.0.0.0:5000 [E_PRECHECK_PORT] " +
        "(hint: stop what listens on 5000 on node1 (it is not our container), or move the service to another port)",
    ]);
  });

  it("skips ports whose container of ours runs, and listeners on other specific addresses", () => {
    const p = probe({
      running: ["memcached", "keystone"],
      listeners: [
        { address: "10.0.0.11", port: 11211, process: "memcached (pid 9)" },
        { address: "10.0.0.11", port: 5000, process: "keystone (pid 10)" },
        { address: "127.0.0.1", port: 5000, process: "other (pid 11)" },
      ],
    });
    const o = checkPorts("node1", expectations(), p);
    expect([o.status, o.note]).toEqual(["ok", "0 free, 2 held by our containers"]);
    const haproxyOnly = checkPorts("node1", expectations(), probe({ listeners: [{ address: "10.0.0.11", port: 5000 }] }));
    expect(haproxyOnly.status).toBe("fail"); // keystone not running: its backend port on the api address is taken
  });

  it("a frontend conflicts only with listeners on its VIP or on every address", () => {
    const exp = expectations({ ports: [{ port: 80, bindAddress: "10.0.0.250", label: "haproxy frontend horizon", container: "haproxy" }] });
    expect(checkPorts("node1", exp, probe({ listeners: [{ address: "10.0.0.11", port: 80 }] })).status).toBe("ok");
    expect(checkPorts("node1", exp, probe({ listeners: [{ address: "10.0.0.250", port: 80 }] })).status).toBe("fail");
  });

  it("fails when the sockets could not be listed, and is n/a on a host with no ports", () => {
    expect(checkPorts("node1", expectations(), probe({ listeners: undefined })).status).toBe("fail");
    expect(checkPorts("node1", expectations({ ports: [] }), probe()).status).toBe("n/a");
  });
});
