/**
 * bootstrap-servers end to end on its own 3-host test bed whose node3 is bare (no engine packages,
 * no package sources): node1 and node2 are bootstrapped and run a cloud; then node3 joins:
 * bootstrap-servers installs docker from the test bed's apt repository (tests/testbed/aptrepo.sh),
 * `deploy --limit node3` brings it into the cloud, a second bootstrap changes nothing, and a
 * docker_mtu change restarts each host's dockerd exactly once.
 *
 * The tests run in order and build on each other's state. The instance is this file's own (the
 * shared CI bed has no bare host, and this file restarts engines): it is created fresh in beforeAll
 * and removed in afterAll. Knobs: KD_BOOTSTRAP_TESTBED_{PREFIX,NET,DIR}.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { REPO_ROOT, type CliResult } from "../helpers/cli.js";
import { kollaLayout, makeDeployEnv, type DeployEnv } from "../helpers/deploy-env.js";
import { runOnHost } from "../helpers/ssh-runner.js";
import { assertGatewayOnBridge, describeTestbed, loadTestbed, type Testbed } from "../helpers/testbed.js";

const knobs = {
  TESTBED_PREFIX: process.env.KD_BOOTSTRAP_TESTBED_PREFIX ?? "kb",
  TESTBED_NET: process.env.KD_BOOTSTRAP_TESTBED_NET ?? "198.18.8",
  TESTBED_DIR: process.env.KD_BOOTSTRAP_TESTBED_DIR ?? "/var/tmp/kd-tb-w4",
  TESTBED_BARE: "node3",
  TESTBED_PODMAN: "0",
  TESTBED_SUDO_USER: "",
};
const scriptEnv = { ...process.env, ...knobs };
const tool = (name: string, ...args: string[]): string =>
  execFileSync("bash", [join(REPO_ROOT, "tests", name), ...args], { env: scriptEnv, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

interface JsonChange {
  kind: string;
  action: string;
  target: string;
}
interface JsonBootstrap {
  plan: { host: string; changes: JsonChange[] }[];
  outcomes?: { host: string; status: string; changes: string[] }[];
  failed: Record<string, unknown>;
}

describeTestbed(
  "bootstrap-servers: a bare node joins the cloud",
  () => {
    let bed: Testbed;
    let env: DeployEnv;
    let hostLines: Map<string, string>;

    /** The inventory's host part: every group lists node1 and node2, plus node3 in control and compute when it joined. */
    function useInventory(withNode3: boolean): void {
      const line = (h: string) => hostLines.get(h)!;
      const pair = ["node1", "node2"].map(line);
      const all = withNode3 ? [...pair, line("node3")] : pair;
      const groups: [string, string[]][] = [["control", all], ["network", pair], ["compute", all], ["storage", pair], ["monitoring", pair]];
      const ini = groups.map(([g, hs]) => `[${g}]\n${hs.join("\n")}\n`).join("\n");
      writeFileSync(env.inventory, `${ini}\n[deployment]\nlocalhost ansible_connection=local\n\n${kollaLayout()}`);
    }

    /** env.kd with stdout through a file: a large plan arrives whole even if the CLI exits right after writing it. */
    function kd(verb: string, ...args: string[]): CliResult {
      const dir = mkdtempSync(join(tmpdir(), "kd-bs-out-"));
      const fd = openSync(join(dir, "stdout"), "w");
      try {
        const argv = ["--import", import.meta.resolve("tsx"), join(REPO_ROOT, "src", "main.ts"), verb, "-i", env.inventory, "--configdir", env.configdir, ...args];
        const logs = { KOLLA_DEPLOY_LOG_DIR: join(env.dir, "logs"), KOLLA_DEPLOY_GENPWD_RSA_BITS: "1024" };
        const r = spawnSync(process.execPath, argv, { cwd: REPO_ROOT, env: { ...process.env, ...logs }, stdio: ["ignore", fd, "pipe"], encoding: "utf8" });
        return { code: r.status ?? -1, stdout: readFileSync(join(dir, "stdout"), "utf8"), stderr: r.stderr };
      } finally {
        closeSync(fd);
        rmSync(dir, { recursive: true, force: true });
      }
    }

    function bootstrapJson(...args: string[]): { r: CliResult; doc: JsonBootstrap } {
      const r = kd("bootstrap-servers", "--json", ...args);
      expect(r.stdout, r.stderr).not.toBe("");
      return { r, doc: JSON.parse(r.stdout) as JsonBootstrap };
    }

    async function sh(host: string, script: string): Promise<string> {
      const r = await runOnHost(bed, host, ["sh", "-c", script]);
      if (r.code !== 0) throw new Error(`${host}: ${script}: exit ${r.code}: ${r.stderr}`);
      return r.stdout;
    }

    const dockerdPid = (host: string) => sh(host, "cat /run/docker.pid").then((s) => s.trim());
    const dockerdExits = (host: string) => sh(host, "grep -c 'dockerd exited' /var/log/testbed/stage2.log || true").then(Number);
    /** container name → StartedAt */
    async function startedAt(host: string): Promise<Map<string, string>> {
      const out = await sh(host, "ids=$(docker ps -q); [ -z \"$ids\" ] || docker inspect --format '{{.Name}} {{.State.StartedAt}}' $ids");
      return new Map(out.trim().split("\n").filter((l) => l !== "").map((l) => l.replace(/^\//, "").split(" ") as [string, string]));
    }
    const daemonJson = (host: string) => sh(host, "cat /etc/docker/daemon.json").then((t) => JSON.parse(t) as Record<string, unknown>);
    const changesOf = (doc: JsonBootstrap, host: string) => doc.plan.find((p) => p.host === host)?.changes.map((c) => `${c.action} ${c.kind} ${c.target}`) ?? [];

    beforeAll(async () => {
      tool("testbed/testbed.sh", "down");
      tool("testbed/testbed.sh", "up", "3");
      bed = loadTestbed(knobs.TESTBED_DIR);
      assertGatewayOnBridge(bed);
      const source = tool("testbed/aptrepo.sh", "up").trim().split("\n").pop()!;
      tool("images/build.sh", "--testbed-dir", knobs.TESTBED_DIR, "--no-broken");
      const ini = readFileSync(bed.inventoryIni ?? join(bed.dir, "inventory.ini"), "utf8").split("\n");
      hostLines = new Map(bed.hosts.map((h) => [h.name, ini.find((l) => l.startsWith(`${h.name} `))!]));
      // the test bed's dockerd needs its runc wrapper (missing capabilities) and stops fast; keep both
      const current = await daemonJson("node1");
      const custom = Object.fromEntries(Object.entries(current).filter(([k]) => ["runtimes", "default-runtime", "shutdown-timeout"].includes(k)));
      env = makeDeployEnv(bed, { globals: `kolla_apt_sources: ${JSON.stringify([source])}\ndocker_custom_config: ${JSON.stringify(custom)}` });
      useInventory(false);
    }, 300_000);

    afterAll(() => {
      tool("testbed/testbed.sh", "down");
      if (env !== undefined) rmSync(env.dir, { recursive: true, force: true });
    }, 120_000);

    it("bootstraps node1 and node2: kolla's daemon.json, /etc/hosts block, kolla user, /etc/kolla; dockerd restarted once", async () => {
      const before = await Promise.all(["node1", "node2"].map(dockerdPid));
      const { r, doc } = bootstrapJson();
      expect(r.code, r.stderr).toBe(0);
      expect(doc.outcomes?.map((o) => `${o.host} ${o.status}`)).toEqual(["node1 changed", "node2 changed"]);
      for (const [i, host] of ["node1", "node2"].entries()) {
        expect(await dockerdPid(host)).not.toBe(before[i]);
        expect(await daemonJson(host)).toMatchObject({ "log-opts": { "max-file": "5", "max-size": "50m" }, "insecure-registries": [bed.registry], bridge: "none", iptables: false });
        expect(await sh(host, "sed -n '/# BEGIN ANSIBLE GENERATED HOSTS/,/# END/p' /etc/hosts")).toBe(
          `# BEGIN ANSIBLE GENERATED HOSTS\n${bed.hosts[0]!.address} node1\n${bed.hosts[1]!.address} node2\n# END ANSIBLE GENERATED HOSTS\n`,
        );
        expect(await sh(host, "id -nG kolla; stat -c '%U:%G %a' /etc/kolla; sudo -l -U kolla | tail -n 1")).toMatch(/^kolla sudo docker\nkolla:kolla 755\n.*NOPASSWD: ALL/);
      }
    }, 120_000);

    it("deploys the cloud on node1 and node2", () => {
      const r = kd("deploy");
      expect(r.code, r.stderr + r.stdout).toBe(0);
    }, 180_000);

    it("--check with node3 in the inventory: install and start docker on node3, only the /etc/hosts block on the others", () => {
      useInventory(true);
      const { r, doc } = bootstrapJson("--check");
      expect(r.code, r.stderr).toBe(2);
      expect(changesOf(doc, "node1")).toEqual(["update file /etc/hosts"]);
      expect(changesOf(doc, "node2")).toEqual(["update file /etc/hosts"]);
      expect(changesOf(doc, "node3")).toEqual(expect.arrayContaining([
        "install package docker.io", "create file /etc/docker/daemon.json", "create file /etc/apt/sources.list.d/kolla-deploy.list", "create account user kolla", "start engine docker",
      ]));
      expect(changesOf(doc, "node3")).not.toContain("restart engine docker");
    }, 60_000);

    let cloudStarted: Map<string, Map<string, string>>;
    let pids: Map<string, string>;

    it("installs docker on the bare node3 and leaves node1/node2's engines and containers alone", async () => {
      cloudStarted = new Map([["node1", await startedAt("node1")], ["node2", await startedAt("node2")]]);
      const before = new Map([["node1", await dockerdPid("node1")], ["node2", await dockerdPid("node2")]]);
      expect((await runOnHost(bed, "node3", ["sh", "-c", "command -v docker || command -v dockerd"])).code).not.toBe(0);
      const { r, doc } = bootstrapJson();
      expect(r.code, r.stderr).toBe(0);
      expect(doc.outcomes?.map((o) => o.status)).toEqual(["changed", "changed", "changed"]);
      expect(await sh("node3", "docker info --format '{{.ServerVersion}} {{.DefaultRuntime}}'")).toMatch(/^\S+ testbed-runc\n$/);
      expect(await daemonJson("node3")).toMatchObject({ "insecure-registries": [bed.registry], "log-opts": { "max-file": "5" } });
      for (const host of ["node1", "node2"]) {
        expect(await dockerdPid(host)).toBe(before.get(host));
        expect(await startedAt(host)).toEqual(cloudStarted.get(host));
        expect(await sh(host, "grep -A3 'BEGIN ANSIBLE GENERATED HOSTS' /etc/hosts")).toContain(`${bed.hosts[2]!.address} node3`);
      }
      pids = new Map(await Promise.all(bed.hosts.map(async (h) => [h.name, await dockerdPid(h.name)] as [string, string])));
    }, 180_000);

    it("deploy --limit node3 runs node3's containers without restarting any container on node1/node2", async () => {
      const r = kd("deploy", "--limit", "node3");
      expect(r.code, r.stderr + r.stdout).toBe(0);
      const onNode3 = await startedAt("node3");
      expect([...onNode3.keys()]).toEqual(expect.arrayContaining(["nova_compute", "keystone", "memcached"]));
      for (const host of ["node1", "node2"]) expect(await startedAt(host)).toEqual(cloudStarted.get(host));
      // Shared configs that list every host now name node3 on node1/node2 too, without a restart there.
      for (const host of ["node1", "node2"]) {
        expect(await sh(host, "grep -h '^memcache_servers' /etc/kolla/keystone/keystone.conf")).toContain(bed.hosts[2]!.address);
      }
    }, 180_000);

    it("a later full deploy restarts only the containers on node1/node2 whose shared configs changed", async () => {
      const check = kd("deploy", "--check");
      expect(check.code, check.stderr).toBe(2);
      const planned = [...check.stdout.matchAll(/^(node\d):\n|^ {2}↻ restart container (\S+)/gm)];
      const r = kd("deploy");
      expect(r.code, r.stderr + r.stdout).toBe(0);
      expect(await sh("node1", "grep -h '^memcache_servers' /etc/kolla/keystone/keystone.conf")).toContain(bed.hosts[2]!.address);
      const after = await startedAt("node1");
      const restarted = [...after].filter(([name, at]) => cloudStarted.get("node1")!.get(name) !== at).map(([name]) => name).sort();
      expect(restarted).toContain("keystone");
      expect(restarted.length).toBeLessThan(after.size);
      expect(planned.length).toBeGreaterThan(0);
    }, 240_000);

    it("a second bootstrap-servers changes nothing and restarts no engine", async () => {
      const check = bootstrapJson("--check");
      expect(check.r.code, check.r.stdout).toBe(0);
      const { r, doc } = bootstrapJson();
      expect(r.code, r.stderr).toBe(0);
      expect(doc.outcomes?.map((o) => o.status)).toEqual(["unchanged", "unchanged", "unchanged"]);
      for (const h of bed.hosts) expect(await dockerdPid(h.name)).toBe(pids.get(h.name));
    }, 120_000);

    it("changing docker_mtu restarts each host's dockerd exactly once and the daemon runs with it", async () => {
      const exits = new Map(await Promise.all(bed.hosts.map(async (h) => [h.name, await dockerdExits(h.name)] as [string, number])));
      const check = bootstrapJson("--check", "-e", "docker_mtu=1400");
      expect(check.r.code).toBe(2);
      for (const h of bed.hosts) expect(changesOf(check.doc, h.name)).toEqual(["update file /etc/docker/daemon.json", "restart engine docker"]);
      const { r } = bootstrapJson("-e", "docker_mtu=1400");
      expect(r.code, r.stderr).toBe(0);
      for (const h of bed.hosts) {
        expect(await dockerdPid(h.name)).not.toBe(pids.get(h.name));
        expect(await dockerdExits(h.name)).toBe(exits.get(h.name)! + 1);
        expect((await daemonJson(h.name))["mtu"]).toBe(1400);
        expect(await sh(h.name, "docker info --format '{{.ServerVersion}}'")).not.toBe("");
      }
      expect(bootstrapJson("--check", "-e", "docker_mtu=1400").r.code).toBe(0);
    }, 180_000);
  },
  { needsRunningBed: false },
);
