/** The hard limits nova_libvirt starts with, from captured probe outputs and engine configs. */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseComputeProbe } from "../../../src/prechecks/compute-probe.js";
import {
  containerHardLimit,
  dockerDefaultUlimits,
  parseProcLimits,
  podmanBuiltinUlimits,
  podmanDefaultUlimits,
  ulimitName,
} from "../../../src/prechecks/limits.js";
import type { ComputeProbe } from "../../../src/prechecks/types.js";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/prechecks");
/** Captured on a Debian bookworm host (dockerd with its own containerd, podman 4.3.1; no CAP_SYS_RESOURCE). */
const dockerHost = () => parseComputeProbe(readFileSync(join(FIXTURES, "compute-docker.txt"), "utf8"));
/** The same host's podman answer; containers.conf abridged to its [containers] head and default_ulimits. */
const podmanHost = () => parseComputeProbe(readFileSync(join(FIXTURES, "compute-podman.txt"), "utf8"));
const NO_OWN = { ulimits: [], variable: "nova_libvirt_dimensions" };

describe("parseProcLimits", () => {
  it("reads the hard open-files and processes limits; unlimited is null", () => {
    const text = [
      "Limit                     Soft Limit           Hard Limit           Units     ",
      "Max processes             unlimited            unlimited            processes ",
      "Max open files            1024                 524288               files     ",
    ].join("\n");
    expect(parseProcLimits(text)).toEqual({ nproc: null, nofile: 524288 });
    expect(parseProcLimits("")).toEqual({});
  });
});

describe("parseComputeProbe", () => {
  it("reads the captured docker answer: containerd first, dockerd second, both without CAP_SYS_RESOURCE", () => {
    expect(dockerHost()).toEqual({
      kvm: "missing",
      hostLibvirtSocket: false,
      limitSources: [
        { process: "containerd", pid: 9214, limits: { nproc: 96362, nofile: 20000 }, canRaise: false },
        { process: "dockerd", pid: 9192, limits: { nproc: 96362, nofile: 20000 }, canRaise: false },
      ],
      engineConfigs: [],
      nrOpen: 1048576,
      pidMax: 32768,
    });
  });

  it("CAP_SYS_RESOURCE in the bounding set counts only in the initial user namespace", () => {
    const block = (uidMap: string) => `kd-kvm chr\nkd-libvirt-sock\nkd-limits dockerd 7\nkd-capbnd 000001ffffffffff\nkd-uidmap ${uidMap}\nMax open files 1024 4096 files\nkd-end\n`;
    const full = parseComputeProbe(block("         0          0 4294967295"));
    expect(full).toMatchObject({ kvm: "chr", hostLibvirtSocket: true, limitSources: [{ canRaise: true, limits: { nofile: 4096 } }] });
    expect(parseComputeProbe(block("         0     100000      65536")).limitSources[0]!.canRaise).toBe(false);
  });
});

describe("engine default ulimits", () => {
  it("daemon.json default-ulimits: the hard value by name", () => {
    expect(dockerDefaultUlimits('{"default-ulimits": {"nofile": {"Name": "nofile", "Hard": 65536, "Soft": 1024}, "nproc": {"Hard": -1}}}')).toEqual([
      { name: "nofile", hard: 65536 },
      { name: "nproc", hard: null },
    ]);
    expect(dockerDefaultUlimits("not json")).toEqual([]);
    expect(dockerDefaultUlimits('{"mtu": 1450}')).toEqual([]);
  });

  it("containers.conf default_ulimits: only in [containers], commented out is unset, an explicit [] is empty", () => {
    expect(podmanDefaultUlimits(podmanHost().engineConfigs[0]!.text)).toBeUndefined();
    const conf = '[engine]\ndefault_ulimits = ["nofile=1:2"]\n[containers]\n# default_ulimits = ["nproc=5"]\ndefault_ulimits = [\n  "RLIMIT_NOFILE=1024:65536",\n  \'nproc=4096\',\n]\n';
    expect(podmanDefaultUlimits(conf)).toEqual([
      { name: "nofile", hard: 65536 },
      { name: "nproc", hard: 4096 },
    ]);
    expect(podmanDefaultUlimits("[containers]\ndefault_ulimits = []\n")).toEqual([]);
    expect(ulimitName("RLIMIT_NPROC")).toBe("nproc");
  });

  it("podman's built-in default: nproc = pid_max when podman may set it, else 1048576, else none", () => {
    expect(podmanBuiltinUlimits(podmanHost())).toEqual([{ name: "nproc", hard: 32768 }]);
    const low: ComputeProbe = { ...podmanHost(), pidMax: 4194304, limitSources: [{ process: "shell", pid: 1, limits: { nproc: 4096 }, canRaise: false }] };
    expect(podmanBuiltinUlimits(low)).toEqual([]);
    expect(podmanBuiltinUlimits({ ...low, limitSources: [{ ...low.limitSources[0]!, canRaise: true }] })).toEqual([{ name: "nproc", hard: 4194304 }]);
  });
});

describe("containerHardLimit", () => {
  it("docker: inherited from containerd, unless daemon.json or the container's dimensions set it", () => {
    const probe = dockerHost();
    expect(containerHardLimit("docker", "nofile", probe, NO_OWN)).toEqual({
      hard: 20000,
      from: "containerd (pid 9214)",
      raise: "containerd's hard nofile limit (LimitNOFILE= in its systemd unit)",
    });
    const configured = { ...probe, engineConfigs: [{ path: "/etc/docker/daemon.json", text: '{"default-ulimits": {"nofile": {"Hard": 65536}}}' }] };
    expect(containerHardLimit("docker", "nofile", configured, NO_OWN)).toMatchObject({ hard: 65536, from: "default-ulimits in /etc/docker/daemon.json" });
    expect(containerHardLimit("docker", "nproc", configured, NO_OWN)).toMatchObject({ hard: 96362, from: "containerd (pid 9214)" });
    const own = { ulimits: [{ name: "nofile", hard: 1048576 }], variable: "nova_libvirt_dimensions" };
    expect(containerHardLimit("docker", "nofile", configured, own)).toMatchObject({ hard: 1048576, from: "ulimits in nova_libvirt_dimensions" });
    expect(containerHardLimit("docker", "nofile", { ...probe, limitSources: [] }, NO_OWN)).toBeUndefined();
  });

  it("podman 4.3 on the captured host: nproc from the built-in default (pid_max), nofile 1048576 because of it", () => {
    const probe = podmanHost();
    expect(containerHardLimit("podman", "nproc", probe, NO_OWN)).toMatchObject({ hard: 32768, from: "podman's built-in default_ulimits" });
    expect(containerHardLimit("podman", "nofile", probe, NO_OWN)).toMatchObject({ hard: 1048576, from: "podman's default, as podman's built-in default_ulimits sets other ulimits" });
  });

  it("podman: an empty default_ulimits leaves both inherited from podman's caller; the container's own ulimits replace the defaults", () => {
    const empty = { ...podmanHost(), engineConfigs: [{ path: "/etc/containers/containers.conf", text: "[containers]\ndefault_ulimits = []\n" }] };
    expect(containerHardLimit("podman", "nofile", empty, NO_OWN)).toMatchObject({ hard: 20000, from: expect.stringMatching(/^the probe's root shell \(pid \d+\)/) });
    const own = { ulimits: [{ name: "nofile", hard: 65536 }], variable: "nova_libvirt_dimensions" };
    expect(containerHardLimit("podman", "nofile", empty, own)).toMatchObject({ hard: 65536 });
    expect(containerHardLimit("podman", "nproc", empty, own)).toMatchObject({ hard: 1048576, from: "podman's default, as nova_libvirt_dimensions sets other ulimits" });
  });
});
