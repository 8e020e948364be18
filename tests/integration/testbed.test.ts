/**
 * The test bed behaves like separate servers: own hostname, own /etc, own docker, a bare
 * host without an engine, a sudo user, sshd that can be stopped, and the registry.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/cli.js";
import { runOnHost } from "../helpers/ssh-runner.js";
import { assertGatewayOnBridge, describeTestbed, loadTestbed, type Testbed } from "../helpers/testbed.js";

const SCRIPT = join(REPO_ROOT, "tests", "testbed", "testbed.sh");
const tag = `tbtest-${process.pid}`;

describeTestbed("test bed (default instance)", () => {
  let bed: Testbed;
  beforeAll(() => {
    bed = loadTestbed();
  });

  it("every host answers over SSH with its own hostname", async () => {
    for (const host of bed.hosts) {
      const r = await runOnHost(bed, host.name, ["hostname"]);
      expect(r).toMatchObject({ code: 0, stdout: `${host.name}\n` });
    }
  });

  it("a file in /etc/kolla on node2 is invisible on node1 and on the machine", async () => {
    const path = `/etc/kolla/${tag}/marker`;
    const written = await runOnHost(bed, "node2", ["sh", "-c", `mkdir -p /etc/kolla/${tag} && echo hi > ${path}`]);
    expect(written.code).toBe(0);
    try {
      expect((await runOnHost(bed, "node2", ["cat", path])).stdout).toBe("hi\n");
      expect((await runOnHost(bed, "node1", ["test", "-e", path])).code).toBe(1);
      expect(existsSync(path)).toBe(false);
    } finally {
      await runOnHost(bed, "node2", ["rm", "-rf", `/etc/kolla/${tag}`]);
    }
  });

  it("docker on each host shows only that host's containers", async () => {
    const withDocker = bed.hosts.filter((h) => h.engine !== "none");
    expect(withDocker.length).toBeGreaterThanOrEqual(2);
    const name = (h: string): string => `${tag}-${h}`;
    try {
      for (const h of withDocker) {
        const run = ["docker", "run", "-d", "--init", "--network", "host", "--name", name(h.name), bed.image, "sleep", "300"];
        expect((await runOnHost(bed, h.name, run)).code).toBe(0);
      }
      for (const h of withDocker) {
        const ps = await runOnHost(bed, h.name, ["docker", "ps", "--format", "{{.Names}}", "--filter", `name=${tag}`]);
        expect(ps.stdout.trim().split("\n")).toEqual([name(h.name)]);
      }
    } finally {
      for (const h of withDocker) {
        expect((await runOnHost(bed, h.name, ["docker", "rm", "--force", name(h.name)])).code).toBe(0);
      }
    }
  });

  it("the registry answers on the bridge, from the machine and from a host", async () => {
    assertGatewayOnBridge(bed);
    const res = await fetch(`http://${bed.registry}/v2/_catalog`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ repositories: expect.arrayContaining(["testbed/busybox"]) });
    const fromHost = await runOnHost(bed, "node1", ["curl", "-sf", "--noproxy", "*", `http://registry:5000/v2/`]);
    expect(fromHost.code).toBe(0);
  });

  it("writes a kolla-style INI inventory that lists every host", () => {
    const ini = readFileSync(bed.inventoryIni ?? join(bed.dir, "inventory.ini"), "utf8");
    for (const group of ["control", "network", "compute", "storage", "monitoring", "deployment"]) {
      expect(ini).toContain(`[${group}]`);
    }
    for (const h of bed.hosts) expect(ini).toContain(`${h.name} ansible_host=${h.address} ansible_user=root`);
  });
});

/**
 * A second, throw-away instance next to the default one: a bare host, a sudo user on node1
 * only, and sshd stopped and started again. It also proves that instances do not collide.
 */
describeTestbed(
  "test bed (own instance: bare host, sudo user, sshd control)",
  () => {
    const env = {
      ...process.env,
      TESTBED_PREFIX: process.env.TESTBED_SELFTEST_PREFIX ?? "kx",
      TESTBED_NET: process.env.TESTBED_SELFTEST_NET ?? "198.18.9",
      TESTBED_DIR: process.env.TESTBED_SELFTEST_DIR ?? "/var/tmp/kolla-testbed-selftest",
      TESTBED_BARE: "node2",
      TESTBED_SUDO_USER: "kolla",
      TESTBED_SUDO_HOSTS: "node1",
      TESTBED_PODMAN: "0",
    };
    const script = (...args: string[]): string => execFileSync(SCRIPT, args, { env, encoding: "utf8", stdio: "pipe" });
    let bed: Testbed;
    beforeAll(() => {
      script("up", "2");
      bed = loadTestbed(env.TESTBED_DIR);
    }, 120_000);
    afterAll(() => {
      script("down");
    }, 120_000);

    it("marks the bare host in inventory.json and it has no docker or podman", async () => {
      expect(bed.hosts.map((h) => h.engine)).toEqual(["docker", "none"]);
      for (const tool of ["docker", "dockerd", "podman"]) {
        expect((await runOnHost(bed, "node2", ["sh", "-c", `command -v ${tool}`])).code).not.toBe(0);
      }
      expect((await runOnHost(bed, "node1", ["sh", "-c", "command -v docker"])).code).toBe(0);
    });

    it("the sudo user logs in with the same key and gets root through sudo -n", async () => {
      expect(bed.hosts.map((h) => h.sudoUser)).toEqual(["kolla", undefined]);
      const r = await runOnHost(bed, "node1", ["sudo", "-n", "id", "-u"], { user: "kolla" });
      expect(r).toMatchObject({ code: 0, stdout: "0\n" });
      expect((await runOnHost(bed, "node1", ["id", "-un"], { user: "kolla" })).stdout).toBe("kolla\n");
      expect((await runOnHost(bed, "node2", ["true"], { user: "kolla" })).code).toBe(255);
    });

    it("stop-sshd makes a host refuse SSH while it keeps running; start-sshd brings it back", async () => {
      script("stop-sshd", "node1");
      const refused = await runOnHost(bed, "node1", ["true"]);
      expect(refused.code).toBe(255);
      expect(refused.stderr).toMatch(/refused/i);
      script("start-sshd", "node1");
      expect((await runOnHost(bed, "node1", ["hostname"])).stdout).toBe("node1\n");
    });
  },
  { needsRunningBed: false },
);
