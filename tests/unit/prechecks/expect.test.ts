/** What the configuration asks of each host, from the shipped roles and a kolla-layout inventory. */
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { prepare } from "../../../src/apply/prepare.js";
import { commonOptions } from "../../../src/cli/common.js";
import { ValidationFailed } from "../../../src/errors.js";
import { expectationsFor } from "../../../src/prechecks/expect.js";
import { SERVICE_PORT_VARIABLES } from "../../../src/prechecks/services.js";
import type { HostExpectations } from "../../../src/prechecks/types.js";
import { kollaLayout } from "../../helpers/deploy-env.js";

const HOSTS = "[control]\nctl1\n[network]\nnet1\n[compute]\ncmp1\n[storage]\nst1\n[monitoring]\n[deployment]\nlocalhost ansible_connection=local\n";

function setup(globals: string, extraVars: string[] = []): HostExpectations[] {
  const dir = mkdtempSync(join(tmpdir(), "kd-prechecks-expect-"));
  mkdirSync(join(dir, "etc"));
  writeFileSync(join(dir, "etc", "globals.yml"), `kolla_internal_vip_address: "10.0.0.250"\nnetwork_interface: "eth0"\nneutron_external_interface: "eth1"\n${globals}`);
  writeFileSync(join(dir, "inventory"), `${HOSTS}\n${kollaLayout()}`);
  const p = prepare(commonOptions({ inventory: [join(dir, "inventory")], configdir: join(dir, "etc"), extraVars }));
  return expectationsFor(p);
}

const byHost = (all: HostExpectations[], host: string) => all.find((e) => e.host === host)!;
const ports = (e: HostExpectations) => e.ports.map((p) => `${p.bindAddress ?? "api"}:${p.port} ${p.container}`);

describe("expectations from the shipped roles", () => {
  const all = setup("");

  it("checks only hosts that run a service, in inventory order", () => {
    expect(all.map((e) => e.host)).toEqual(["ctl1", "net1", "cmp1", "st1"]);
  });

  it("control hosts: memcached, mariadb, rabbitmq and API backend ports; no haproxy frontends", () => {
    const ctl = ports(byHost(all, "ctl1"));
    expect(ctl).toEqual(expect.arrayContaining(["api:11211 memcached", "api:3306 mariadb", "api:4567 mariadb", "api:5672 rabbitmq", "api:5000 keystone", "api:8774 nova_api"]));
    expect(ctl.some((p) => p.startsWith("10.0.0.250:"))).toBe(false);
  });

  it("loadbalancer hosts: haproxy frontends on the internal VIP, haproxy's own ports, and the VIP to ping", () => {
    const net = byHost(all, "net1");
    expect(ports(net)).toEqual(expect.arrayContaining(["10.0.0.250:5000 haproxy", "10.0.0.250:3306 haproxy", "10.0.0.250:80 haproxy", "api:61313 haproxy"]));
    expect(net.pingVips).toEqual(["10.0.0.250"]);
    expect(byHost(all, "ctl1").pingVips).toEqual([]);
    expect(byHost(all, "ctl1").vips).toEqual([{ address: "10.0.0.250", variable: "kolla_internal_vip_address" }]);
  });

  it("interfaces: network/api everywhere; external VIP and neutron external on network hosts; tunnel where agents run; storage on storage hosts", () => {
    const names = (host: string) => byHost(all, host).interfaces.map((i) => `${i.variable}=${i.iface}${i.needsAddress ? "" : " (no address)"}`);
    expect(names("net1")).toEqual([
      "network_interface=eth0",
      "api_interface=eth0",
      "tunnel_interface=eth0",
      "kolla_external_vip_interface=eth0 (no address)",
      "neutron_external_interface=eth1 (no address)",
    ]);
    expect(names("cmp1")).toEqual(["network_interface=eth0", "api_interface=eth0", "tunnel_interface=eth0"]);
    expect(names("st1")).toEqual(["network_interface=eth0", "api_interface=eth0", "storage_interface=eth0"]);
    expect(byHost(all, "ctl1").interfaces.find((i) => i.variable === "network_interface")!.origin).toMatch(/globals\.yml:2$/);
  });

  it("every port variable in the table is defined by the shipped defaults (each one reaches some host)", () => {
    const seen = new Set(all.flatMap((e) => e.ports.map((p) => p.label)));
    expect(Object.values(SERVICE_PORT_VARIABLES).flat().filter((name) => !seen.has(name))).toEqual([]);
  });

  it("the disk threshold defaults to 10 GiB and follows prechecks_min_disk_gb", () => {
    expect(all[0]!.minDiskGb).toBe(10);
    expect(setup("prechecks_min_disk_gb: 0.5\n")[0]!.minDiskGb).toBe(0.5);
  });
});

describe("nova compute needs from the shipped roles", () => {
  it("compute hosts: kvm by default, our privileged nova_libvirt and kolla's qemu limits; none elsewhere", () => {
    const all = setup("");
    expect(byHost(all, "cmp1").compute).toEqual({
      virtType: "kvm",
      libvirtContainer: "nova_libvirt",
      qemuLimits: [
        { variable: "qemu_max_files", resource: "nofile", value: 32768 },
        { variable: "qemu_max_processes", resource: "nproc", value: 131072 },
      ],
      libvirtUlimits: [],
      libvirtDimensions: "nova_libvirt_dimensions",
      libvirtMayRaise: true,
    });
    expect(byHost(all, "ctl1").compute).toBeUndefined();
  });

  it("follows globals: the virt type, the limits and nova_libvirt's own ulimits (podman's RLIMIT_ names too)", () => {
    const globals = [
      'nova_compute_virt_type: "qemu"',
      "qemu_max_files: 16384",
      "qemu_max_processes: 65536",
      "nova_libvirt_dimensions:",
      "  ulimits:",
      "    RLIMIT_NOFILE: {soft: 1024, hard: 65536}",
    ].join("\n");
    const cmp = byHost(setup(globals + "\n"), "cmp1").compute!;
    expect(cmp.virtType).toBe("qemu");
    expect(cmp.qemuLimits.map((l) => l.value)).toEqual([16384, 65536]);
    expect(cmp.libvirtUlimits).toEqual([{ name: "nofile", hard: 65536 }]);
  });

  it("--tags without nova checks nothing of it", () => {
    const dir = mkdtempSync(join(tmpdir(), "kd-prechecks-expect-"));
    mkdirSync(join(dir, "etc"));
    writeFileSync(join(dir, "etc", "globals.yml"), 'kolla_internal_vip_address: "10.0.0.250"\nnetwork_interface: "eth0"\nneutron_external_interface: "eth1"\n');
    writeFileSync(join(dir, "inventory"), `${HOSTS}\n${kollaLayout()}`);
    const p = prepare(commonOptions({ inventory: [join(dir, "inventory")], configdir: join(dir, "etc"), tags: ["keystone"] }));
    expect(expectationsFor(p).every((e) => e.compute === undefined)).toBe(true);
  });
});

describe("configuration problems", () => {
  it("an unset neutron_external_interface is a problem on network hosts only", () => {
    const dir = mkdtempSync(join(tmpdir(), "kd-prechecks-expect-"));
    mkdirSync(join(dir, "etc"));
    writeFileSync(join(dir, "etc", "globals.yml"), `kolla_internal_vip_address: "10.0.0.250"\n`);
    writeFileSync(join(dir, "inventory"), `${HOSTS}\n${kollaLayout()}`);
    const all = expectationsFor(prepare(commonOptions({ inventory: [join(dir, "inventory")], configdir: join(dir, "etc") })));
    expect(byHost(all, "net1").configProblems.map((e) => e.oneLine())).toEqual([
      "host net1: neutron_external_interface is not set, but net1 needs it [E_PRECHECK_INTERFACE] (hint: set neutron_external_interface in globals.yml or for net1 in the inventory)",
    ]);
    expect(byHost(all, "ctl1").configProblems).toEqual([]);
  });

  it("a qemu limit that is not a whole number is refused", () => {
    expect(() => setup('qemu_max_files: "many"\n')).toThrow(/qemu_max_files is "many", not a whole number/);
  });

  it("a bad prechecks_min_disk_gb is refused for every host at once, naming where it was set", () => {
    let error: unknown;
    try {
      setup("prechecks_min_disk_gb: lots\n");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationFailed);
    const first = (error as ValidationFailed).errors[0]!.oneLine();
    expect(first).toMatch(/globals\.yml:4: prechecks_min_disk_gb: prechecks_min_disk_gb is "lots", not a number of GiB \[E_PRECHECK_CONFIG\]/);
    expect((error as ValidationFailed).errors).toHaveLength(4);
  });
});
