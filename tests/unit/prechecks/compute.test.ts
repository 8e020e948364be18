/** The compute check: /dev/kvm for kvm guests, no host libvirt, and qemu limits nova_libvirt can apply. */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkCompute } from "../../../src/prechecks/compute.js";
import { parseComputeProbe } from "../../../src/prechecks/compute-probe.js";
import type { ComputeNeeds, ComputeProbe, HostExpectations, HostProbe } from "../../../src/prechecks/types.js";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/prechecks");
const captured = (name: string) => parseComputeProbe(readFileSync(join(FIXTURES, name), "utf8"));

/** kolla's defaults on a compute host running nova-compute and our privileged nova_libvirt. */
function needs(over: Partial<ComputeNeeds> = {}): ComputeNeeds {
  return {
    virtType: "kvm",
    libvirtContainer: "nova_libvirt",
    qemuLimits: [
      { variable: "qemu_max_files", resource: "nofile", value: 32768 },
      { variable: "qemu_max_processes", resource: "nproc", value: 131072 },
    ],
    libvirtUlimits: [],
    libvirtDimensions: "nova_libvirt_dimensions",
    libvirtMayRaise: true,
    ...over,
  };
}

function expectations(compute: ComputeNeeds | undefined, engine: "docker" | "podman" = "docker"): HostExpectations {
  return {
    host: "cmp1",
    engine,
    interfaces: [],
    configProblems: [],
    ports: [],
    pingVips: [],
    vips: [],
    keepalivedContainer: undefined,
    minDiskGb: 0,
    ...(compute === undefined ? {} : { compute }),
  };
}

/** A host with /dev/kvm whose engine may raise limits (a real server), unless overridden. */
function computeProbe(over: Partial<ComputeProbe> = {}): ComputeProbe {
  return {
    kvm: "chr",
    hostLibvirtSocket: false,
    limitSources: [{ process: "containerd", pid: 77, limits: { nofile: 524288, nproc: null }, canRaise: true }],
    engineConfigs: [],
    nrOpen: 1048576,
    pidMax: 4194304,
    ...over,
  };
}

/** running "unknown": the engine could not list its containers. */
function probe(compute: ComputeProbe | undefined, running: string[] | "unknown"): HostProbe {
  return {
    identity: { user: "root", sudoUser: "" },
    engineVersion: { code: 0, output: "Docker version 28.2.2" },
    engineInfo: { answers: true, root: "/var/lib/docker", error: "" },
    links: [],
    addresses: {},
    ...(running === "unknown" ? {} : { running }),
    ...(compute === undefined ? {} : { compute }),
  };
}

const run = (n: ComputeNeeds | undefined, c: ComputeProbe | undefined, engine: "docker" | "podman" = "docker", running: string[] | "unknown" = []) =>
  checkCompute("cmp1", expectations(n, engine), probe(c, running));
const lines = (o: ReturnType<typeof run>) => o.problems.map((e) => e.oneLine());

describe("checkCompute", () => {
  it("has nothing to check where neither nova-compute nor nova_libvirt runs", () => {
    expect(run(undefined, undefined)).toEqual({ check: "compute", status: "n/a", note: "", problems: [] });
  });

  it("passes on a real server: /dev/kvm, no host libvirt, and the engine may raise the limits", () => {
    expect(run(needs(), computeProbe())).toMatchObject({ status: "ok", note: "kvm, nofile raisable, nproc raisable" });
  });

  it("kvm without /dev/kvm fails with one line naming host and key, and the way out", () => {
    expect(lines(run(needs(), computeProbe({ kvm: "missing" })))).toEqual([
      "host cmp1: nova_compute_virt_type is kvm, but /dev/kvm does not exist on cmp1 [E_PRECHECK_KVM] (hint: set nova_compute_virt_type: qemu in globals.yml (software emulation), or enable hardware virtualisation on cmp1)",
    ]);
    expect(lines(run(needs(), computeProbe({ kvm: "other" })))[0]).toContain("nova_compute_virt_type is kvm, but /dev/kvm on cmp1 is not a character device [E_PRECHECK_KVM]");
  });

  it("software emulation (qemu) needs no /dev/kvm; a nova_libvirt-only host checks no virt type", () => {
    expect(run(needs({ virtType: "qemu" }), computeProbe({ kvm: "missing" }))).toMatchObject({ status: "ok", note: "qemu, nofile raisable, nproc raisable" });
    const { virtType: _omit, ...libvirtOnly } = needs();
    expect(run(libvirtOnly, computeProbe({ kvm: "missing" })).status).toBe("ok");
  });

  it("a libvirt of the host's own fails, unless the socket is our running nova_libvirt's (or the engine could not say)", () => {
    const socket = computeProbe({ hostLibvirtSocket: true });
    expect(lines(run(needs(), socket))).toEqual([
      "host cmp1: a libvirt of the host's own runs on cmp1 (/run/libvirt/libvirt-sock exists) while nova_libvirt does not [E_PRECHECK_LIBVIRT] (hint: stop and disable the host's libvirt (systemctl disable --now libvirtd libvirtd.socket libvirtd-ro.socket libvirtd-admin.socket): nova_libvirt needs /run/libvirt)",
    ]);
    expect(run(needs(), socket, "docker", ["nova_libvirt"]).status).toBe("ok");
    expect(run(needs(), socket, "docker", "unknown").status).toBe("ok");
    expect(run(needs({ libvirtContainer: undefined }), socket).status).toBe("ok");
  });

  it("without CAP_SYS_RESOURCE (the captured docker host), kolla's defaults do not fit: one line per limit, with the largest value that fits", () => {
    expect(lines(run(needs({ virtType: "qemu" }), captured("compute-docker.txt")))).toEqual([
      'host cmp1: qemu_max_files is 32768 (libvirt applies 32769), above the hard nofile limit 20000 that nova_libvirt gets on cmp1 (from containerd (pid 9214)) and cannot raise without CAP_SYS_RESOURCE; libvirt would fail to start every guest ("Operation not permitted") [E_PRECHECK_QEMU_LIMIT] (hint: set qemu_max_files: 19999 in globals.yml, or raise containerd\'s hard nofile limit (LimitNOFILE= in its systemd unit))',
      'host cmp1: qemu_max_processes is 131072, above the hard nproc limit 96362 that nova_libvirt gets on cmp1 (from containerd (pid 9214)) and cannot raise without CAP_SYS_RESOURCE; libvirt would fail to start every guest ("Operation not permitted") [E_PRECHECK_QEMU_LIMIT] (hint: set qemu_max_processes: 96362 in globals.yml, or raise containerd\'s hard nproc limit (LimitNPROC= in its systemd unit))',
    ]);
  });

  it("the values that worked on the test bed (16384, 65536) pass there; max_files + 1 must fit, so the limit itself does not", () => {
    const fit = needs({ virtType: "qemu", qemuLimits: [{ variable: "qemu_max_files", resource: "nofile", value: 16384 }, { variable: "qemu_max_processes", resource: "nproc", value: 65536 }] });
    expect(run(fit, captured("compute-docker.txt"))).toMatchObject({ status: "ok", note: "qemu, nofile 20000, nproc 96362" });
    const edge = needs({ virtType: "qemu", qemuLimits: [{ variable: "qemu_max_files", resource: "nofile", value: 20000 }] });
    expect(lines(run(edge, captured("compute-docker.txt")))[0]).toContain("(hint: set qemu_max_files: 19999 in globals.yml");
  });

  it("a nova_libvirt that is not privileged cannot raise, whatever the engine holds", () => {
    const o = run(needs({ libvirtMayRaise: false }), computeProbe({ limitSources: [{ process: "dockerd", pid: 5, limits: { nofile: 16384, nproc: null }, canRaise: true }] }));
    expect(lines(o)).toEqual([
      'host cmp1: qemu_max_files is 32768 (libvirt applies 32769), above the hard nofile limit 16384 that nova_libvirt gets on cmp1 (from dockerd (pid 5)) and cannot raise without CAP_SYS_RESOURCE; libvirt would fail to start every guest ("Operation not permitted") [E_PRECHECK_QEMU_LIMIT] (hint: set qemu_max_files: 16383 in globals.yml, or raise dockerd\'s hard nofile limit (LimitNOFILE= in its systemd unit))',
    ]);
  });

  it("even with CAP_SYS_RESOURCE, open files stop at fs.nr_open", () => {
    const big = needs({ qemuLimits: [{ variable: "qemu_max_files", resource: "nofile", value: 1048576 }] });
    expect(lines(run(big, computeProbe()))).toEqual([
      'host cmp1: qemu_max_files is 1048576 (libvirt applies 1048577), above fs.nr_open 1048576 on cmp1, which no process may exceed; libvirt would fail to start every guest ("Operation not permitted") [E_PRECHECK_QEMU_LIMIT] (hint: set qemu_max_files: 1048575 in globals.yml, or raise fs.nr_open (sysctl) on cmp1)',
    ]);
  });

  it("podman 4.3 on the captured host: nproc is pid_max (its built-in default), so 131072 does not fit", () => {
    const o = run(needs({ virtType: "qemu" }), captured("compute-podman.txt"), "podman");
    expect(lines(o)).toEqual([
      'host cmp1: qemu_max_processes is 131072, above the hard nproc limit 32768 that nova_libvirt gets on cmp1 (from podman\'s built-in default_ulimits) and cannot raise without CAP_SYS_RESOURCE; libvirt would fail to start every guest ("Operation not permitted") [E_PRECHECK_QEMU_LIMIT] (hint: set qemu_max_processes: 32768 in globals.yml, or raise nproc in default_ulimits ([containers] of /etc/containers/containers.conf))',
    ]);
  });

  it("unknown engine limits are noted, not failed (the engine check reports a missing daemon)", () => {
    expect(run(needs({ libvirtMayRaise: false }), computeProbe({ limitSources: [] }))).toMatchObject({ status: "ok", note: "kvm, nofile limit unknown, nproc limit unknown" });
  });

  it("fails when the compute part of the probe did not answer", () => {
    expect(lines(run(needs(), undefined))).toEqual([
      "host cmp1: cannot read /dev/kvm, libvirt and the engine's limits on cmp1 [E_PRECHECK_PROBE] (hint: check that the probe's sh runs as root there)",
    ]);
  });
});
