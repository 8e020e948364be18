/**
 * The lifecycle verbs end to end on the test bed, in one story on memcached and rabbitmq: deploy,
 * check green, a stopped container named by check, pull, stop (refused, skip list, then for real),
 * destroy (refused, then everything gone), prune-images, post-deploy. Hosts are wiped afterwards;
 * images that were on the hosts before prune-images are protected by placeholder containers.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { makeDeployEnv, WIPE_HOST_SCRIPT, type DeployEnv } from "../helpers/deploy-env.js";
import { runOnHost } from "../helpers/ssh-runner.js";
import { describeTestbed, loadTestbed, type Testbed } from "../helpers/testbed.js";

const TAGS = ["--tags", "memcached,rabbitmq"];
const CONFIRM = "--yes-i-really-really-mean-it";
const KEEP_LABEL = "kd-lifecycle-keep=1";
const SLOW = 180_000;

interface CheckJson {
  ok: boolean;
  hosts: { host: string; containers?: { container: string; condition: string; detail: string }[] }[];
}

describeTestbed("lifecycle verbs on the test bed", () => {
  let bed: Testbed;
  let env: DeployEnv;
  let hosts: string[];
  const sh = async (host: string, script: string) => runOnHost(bed, host, ["sh", "-c", script]);
  const statusOf = async (host: string, name: string) => (await sh(host, `docker inspect -f '{{.State.Status}}' ${name} 2>/dev/null || echo missing`)).stdout.trim();

  beforeAll(async () => {
    bed = loadTestbed();
    hosts = bed.hosts.filter((h) => h.engine !== "none").map((h) => h.name);
    // Health probes every 2 s, so check sees "healthy" within seconds instead of kolla's 30 s.
    env = makeDeployEnv(bed, { globals: "default_container_healthcheck_interval: 2\ndefault_container_healthcheck_start_period: 1\n" });
    const limit = hosts.join(",");
    const r = env.kd("deploy", ...TAGS, "--limit", limit);
    expect(r.code, r.stderr).toBe(0);
  }, SLOW);

  afterAll(async () => {
    if (bed === undefined) return;
    const volumes = "docker volume rm -f kolla_logs rabbitmq >/dev/null 2>&1; true";
    await Promise.all(hosts.map((h) => sh(h, `${WIPE_HOST_SCRIPT}; ${volumes}`)));
  }, SLOW);

  it("check is green once the healthchecks ran, one row per host and container", async () => {
    let last: CheckJson | undefined;
    for (let i = 0; i < 20; i++) {
      const r = env.kd("check", ...TAGS, "--json");
      last = JSON.parse(r.stdout) as CheckJson;
      if (r.code === 0 && last.hosts.every((h) => h.containers?.every((c) => c.condition === "healthy"))) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(last?.ok).toBe(true);
    expect(last?.hosts.map((h) => h.host)).toEqual(hosts);
    for (const h of last!.hosts) expect(h.containers?.map((c) => [c.container, c.condition])).toEqual([["memcached", "healthy"], ["rabbitmq", "healthy"]]);
    const table = env.kd("check", ...TAGS);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(`check: ${hosts.length * 2} container(s) ok, 0 wrong on ${hosts.length} host(s)`);
  }, SLOW);

  it("check names a stopped container and exits 1; the others stay fine", async () => {
    const victim = hosts[hosts.length - 1]!;
    await sh(victim, "docker stop -t 1 memcached");
    const r = env.kd("check", ...TAGS);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^${victim} +memcached +NOT RUNNING +exited, exit code \\d+$`, "m"));
    expect(r.stdout).toMatch(new RegExp(`^${hosts[0]} +rabbitmq +healthy`, "m"));
    expect(r.stdout).toContain(`${hosts.length * 2 - 1} container(s) ok, 1 wrong`);
  }, SLOW);

  it("pull pulls every enabled image on each host and reports per host", () => {
    const r = env.kd("pull", ...TAGS);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const host of hosts) {
      expect(r.stdout).toMatch(new RegExp(`^${host} +ok +2 +0$`, "m"));
      expect(r.stderr).toMatch(new RegExp(`${host} +✓ pull ${bed.registry}/kolla/memcached:testbed`));
      expect(r.stderr).toMatch(new RegExp(`${host} +✓ pull ${bed.registry}/kolla/rabbitmq:testbed`));
    }
    expect(r.stdout).toContain(`pull: ${hosts.length * 2} image(s) pulled, 0 failed`);
  }, SLOW);

  it("stop refuses without the flag and changes nothing", async () => {
    const r = env.kd("stop", ...TAGS);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain("refuses to run without --yes-i-really-really-mean-it");
    expect(await statusOf(hosts[0]!, "rabbitmq")).toBe("running");
    expect(await statusOf(hosts[0]!, "memcached")).toBe("running");
  }, SLOW);

  it("stop leaves skip_stop_containers running, then stops every selected container", async () => {
    const skip = env.kd("stop", CONFIRM, "--tags", "rabbitmq", "-e", '{"skip_stop_containers": ["rabbitmq"]}');
    expect(skip.code, skip.stdout + skip.stderr).toBe(0);
    expect(await statusOf(hosts[0]!, "rabbitmq")).toBe("running");
    const r = env.kd("stop", CONFIRM, ...TAGS);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${hosts[hosts.length - 1]} +ok +1 +1 `, "m"));
    for (const host of hosts) {
      expect(await statusOf(host, "memcached")).toBe("exited");
      expect(await statusOf(host, "rabbitmq")).toBe("exited");
    }
  }, SLOW);

  it("destroy refuses without the flag; with it the containers, volumes, config dirs, record and images are gone", async () => {
    const refused = env.kd("destroy", ...TAGS);
    expect(refused.code).toBe(64);
    expect(await statusOf(hosts[0]!, "memcached")).toBe("exited");
    const r = env.kd("destroy", CONFIRM, "--include-images");
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const host of hosts) {
      expect(r.stdout).toMatch(new RegExp(`^${host} +ok +2 +\\d+ +2 +\\d+$`, "m"));
      const left = await sh(host, [
        "docker ps -aq --filter name=^memcached$ --filter name=^rabbitmq$",
        "docker volume ls -q --filter name=kolla_logs --filter name=rabbitmq",
        "ls -d /etc/kolla/memcached /etc/kolla/rabbitmq /var/lib/kolla-deploy/state.json 2>/dev/null",
        `docker images -q ${bed.registry}/kolla/memcached:testbed ${bed.registry}/kolla/rabbitmq:testbed`,
        "true",
      ].join("; "));
      expect(left.stdout.trim(), `${host} still has: ${left.stdout}`).toBe("");
    }
  }, SLOW);

  it("prune-images removes an image no container uses and says so", async () => {
    const host = hosts[0]!;
    // What was here before this test stays: each image gets a placeholder container while we prune.
    await Promise.all(hosts.map((h) => sh(h, `for id in $(docker images -q | sort -u); do docker create --label ${KEEP_LABEL} "$id" true >/dev/null; done`)));
    try {
      expect(env.kd("pull", "--tags", "memcached", "--limit", host).code).toBe(0);
      const r = env.kd("prune-images", CONFIRM, "--limit", host);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain(`${host}: removed ${bed.registry}/kolla/memcached:testbed`);
      expect((await sh(host, `docker images -q ${bed.registry}/kolla/memcached:testbed`)).stdout.trim()).toBe("");
      expect((await sh(host, "docker images -q testbed/busybox:latest")).stdout.trim()).not.toBe("");
    } finally {
      await Promise.all(hosts.map((h) => sh(h, `docker rm -f $(docker ps -aq --filter label=${KEEP_LABEL}) >/dev/null 2>&1; true`)));
    }
  }, SLOW);

  it("post-deploy writes a usable admin-openrc.sh, mode 0600", () => {
    const r = env.kd("post-deploy");
    expect(r.code, r.stderr).toBe(0);
    const file = join(env.configdir, "admin-openrc.sh");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const password = /^keystone_admin_password: (.+)$/m.exec(readFileSync(join(env.configdir, "passwords.yml"), "utf8"))![1]!.trim();
    expect(r.stdout).not.toContain(password);
    const vars = execFileSync("sh", ["-c", '. "$1"; env', "sh", file], { encoding: "utf8" });
    expect(vars).toContain(`OS_AUTH_URL=http://${bed.gateway.replace(/\.1$/, ".250")}:5000\n`);
    expect(vars).toContain(`OS_PASSWORD=${password}\n`);
    expect(vars).toContain("OS_USERNAME=admin\n");
    expect(vars).toContain("OS_PROJECT_NAME=admin\n");
  }, SLOW);
});
