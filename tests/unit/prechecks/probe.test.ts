/** The probe: one composed exec per host, parsed into a HostProbe; a refused sudo probes again without it. */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DeployError } from "../../../src/errors.js";
import { FakeTransport } from "../../../src/exec/fake.js";
import type { Command, CommandResult } from "../../../src/exec/types.js";
import { parseComputeProbe } from "../../../src/prechecks/compute-probe.js";
import { probeQuery } from "../../../src/prechecks/probe.js";
import { probeHost } from "../../../src/prechecks/run.js";
import type { HostExpectations } from "../../../src/prechecks/types.js";

/** What the composed script prints when each query gives `outputs[i]` = [stdout, exit code]. */
function framed(cmd: Command, outputs: readonly [string, number][]): CommandResult {
  const marker = /__kolla_deploy_[0-9a-f]+__/.exec(cmd.argv[2]!)![0];
  const stdout = outputs.map(([out, rc], i) => `${marker} begin ${i}\n${out}\n${marker} end ${i} ${rc}\n`).join("");
  return { code: 0, stdout, stderr: "" };
}

const HEALTHY: [string, number][] = [
  ["root\n", 0],
  ["Docker version 28.2.2, build e6534b4\n", 0],
  ["kd-engine up /var/lib/docker\nkd-df /dev/vda 264212084 23547676 82843236 23% /var/lib/docker\n", 0],
  ["2: eth0@if33: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP\n", 0],
  ["2: eth0    inet 198.18.6.11/24 scope global eth0\\       valid_lft forever\n", 0],
  [`kd-ss\nLISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:(("sshd",pid=68,fd=3))\n`, 0],
  ["memcached\nkeepalived\n", 0],
  ["kd-vip 198.18.6.250 no\n", 0],
];

/** The probe reads only host, engine and pingVips; the rest is a complete, empty expectation. */
const EXP: HostExpectations = {
  host: "node1",
  engine: "docker",
  interfaces: [],
  configProblems: [],
  ports: [],
  pingVips: ["198.18.6.250"],
  vips: [],
  keepalivedContainer: undefined,
  minDiskGb: 0,
};

describe("probeQuery", () => {
  it("is one command, run as root, holding every query", () => {
    const q = probeQuery("docker", ["198.18.6.250"]);
    const cmd = q.command(true);
    expect(cmd.become).toBe(true);
    expect(cmd.argv.slice(0, 2)).toEqual(["sh", "-c"]);
    for (const part of ["id -un", "docker --version", "ip -o link show", "ip -o addr show", "ss -ltnpH", "docker ps --format", "198.18.6.250"]) {
      expect(cmd.argv[2]).toContain(part);
    }
    expect(probeQuery("podman", []).command(true).argv[2]).not.toContain("kd-vip");
  });

  it("parses every part of the answer", () => {
    const q = probeQuery("docker", ["198.18.6.250"]);
    const probe = q.parse(framed(q.command(true), HEALTHY));
    expect(probe).toEqual({
      identity: { user: "root", sudoUser: "" },
      engineVersion: { code: 0, output: "Docker version 28.2.2, build e6534b4" },
      engineInfo: { answers: true, root: "/var/lib/docker", error: "" },
      diskFreeKb: 82843236,
      links: [{ name: "eth0", up: true }],
      addresses: { eth0: ["198.18.6.11"] },
      listeners: [{ address: "0.0.0.0", port: 22, process: "sshd (pid 68)" }],
      running: ["memcached", "keepalived"],
      vipAnswers: { "198.18.6.250": false },
    });
  });

  it("leaves running containers unknown when the engine could not be asked", () => {
    const q = probeQuery("docker", []);
    const outputs = HEALTHY.slice(0, 7).map((o, i) => (i === 6 ? (["", 1] as [string, number]) : o));
    expect(q.parse(framed(q.command(true), outputs))!.running).toBeUndefined();
  });
});

describe("probeQuery on a compute host", () => {
  const captured = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/prechecks/compute-docker.txt"), "utf8");

  it("adds the compute query to the same exec, after the pings, and parses it", () => {
    const q = probeQuery("docker", ["198.18.6.250"], true);
    const cmd = q.command(true);
    for (const part of ["kd-kvm", "/run/docker.pid", "kd-capbnd", "/proc/sys/fs/nr_open", "kolla-deploy-compute"]) expect(cmd.argv[2]).toContain(part);
    const probe = q.parse(framed(cmd, [...HEALTHY, [captured, 0]]))!;
    expect(probe.vipAnswers).toEqual({ "198.18.6.250": false });
    expect(probe.compute).toEqual(parseComputeProbe(captured));
    expect(probe.compute!.limitSources.map((s) => s.process)).toEqual(["containerd", "dockerd"]);
  });

  it("without pings the compute answer is the eighth part; podman reads its own shell and containers.conf", () => {
    const q = probeQuery("podman", [], true);
    expect(q.command(true).argv[2]).toContain("containers.conf");
    expect(q.parse(framed(q.command(true), [...HEALTHY.slice(0, 7), ["kd-kvm chr\n", 0]]))!.compute).toMatchObject({ kvm: "chr", limitSources: [] });
    expect(probeQuery("docker", []).command(true).argv[2]).not.toContain("kd-kvm");
  });
});

describe("probeHost", () => {
  it("uses one exec when sudo works", async () => {
    const t = new FakeTransport("node1", (cmd) => framed(cmd, HEALTHY));
    const probe = await probeHost(t, EXP);
    expect(t.stats.execs).toBe(1);
    expect(probe.sudoError).toBeUndefined();
  });

  it("still one exec on a compute host", async () => {
    const compute = { qemuLimits: [], libvirtUlimits: [], libvirtDimensions: "nova_libvirt_dimensions", libvirtMayRaise: true, virtType: "kvm" };
    const t = new FakeTransport("node1", (cmd) => framed(cmd, [...HEALTHY, ["kd-kvm missing\n", 0]]));
    const probe = await probeHost(t, { ...EXP, compute });
    expect(t.stats.execs).toBe(1);
    expect(probe.compute?.kvm).toBe("missing");
  });

  it("on a refused sudo, probes again without it and carries the refusal", async () => {
    const refusal = new DeployError("E_HOST_BECOME", "sudo to root refused: sudo: a password is required", "give the SSH user passwordless sudo", { host: "node1" });
    const t = new FakeTransport("node1", (cmd) => {
      if (cmd.become === true) throw refusal;
      return framed(cmd, HEALTHY.map(([o, rc], i) => (i === 0 ? ["kolla\n", 0] : [o, rc])));
    });
    const probe = await probeHost(t, EXP);
    expect(t.commands.map((c) => c.become)).toEqual([true, false]);
    expect(probe.sudoError).toBe(refusal);
    expect(probe.identity.user).toBe("kolla");
  });

  it("fails with one error when the script never runs", async () => {
    const t = new FakeTransport("node1", () => ({ code: 127, stdout: "", stderr: "sh: 1: sudo: not found\n" }));
    await expect(probeHost(t, EXP)).rejects.toThrow("the probe did not run (exit 127: sh: 1: sudo: not found)");
  });
});
