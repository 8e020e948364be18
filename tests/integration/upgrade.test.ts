/**
 * upgrade and rollback of keystone on the 3-host test bed, image tags testbed → t2 → broken, then
 * rollback. The tests run in order and build on each other's state; afterAll wipes the hosts.
 * Batch order and the health gate are checked with the containers' own StartedAt against the
 * times the run reports each batch healthy.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { REPO_ROOT, type CliResult } from "../helpers/cli.js";
import { makeDeployEnv, WIPE_HOST_SCRIPT, type DeployEnv } from "../helpers/deploy-env.js";
import { runOnHost } from "../helpers/ssh-runner.js";
import { describeTestbed, loadTestbed, type Testbed } from "../helpers/testbed.js";

const KEYSTONE = ["keystone", "keystone_ssh", "keystone_fernet"];
const CONFIG_DIRS = ["/etc/kolla/keystone", "/etc/kolla/keystone-ssh", "/etc/kolla/keystone-fernet"];
// Healthchecks every 2 s so a batch turns healthy (or unhealthy) in seconds, not kolla's 30 s.
const GLOBALS = [
  "default_container_healthcheck_interval: 2",
  "default_container_healthcheck_start_period: 2",
  "default_container_healthcheck_retries: 2",
  "default_container_healthcheck_timeout: 5",
].join("\n");
const SLOW = { timeout: 180_000 };

interface Running {
  readonly image: string;
  readonly startedAt: number;
  readonly health: string;
}

interface JsonHost {
  host: string;
  status: string;
  batch: number;
  containers: { container: string; to: string; startedAt?: string; healthyAt?: string }[];
  error?: { code: string; message: string };
}

interface JsonReport {
  ok: boolean;
  stopped: string | null;
  roles: { role: string; batches: string[][] }[];
  hosts: JsonHost[];
}

describeTestbed("upgrade and rollback (keystone: testbed → t2 → broken → rollback)", () => {
  let bed: Testbed;
  let env: DeployEnv;
  let hosts: string[];
  /** config file hashes per host while on t2, before the broken upgrade */
  let t2Config: Map<string, string>;

  const wipe = () => Promise.all(bed.hosts.map((h) => runOnHost(bed, h.name, ["sh", "-c", WIPE_HOST_SCRIPT])));

  async function keystoneOn(host: string): Promise<Map<string, Running>> {
    const format = "{{.Name}} {{.Config.Image}} {{.State.StartedAt}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}";
    const r = await runOnHost(bed, host, ["docker", "inspect", "--format", format, ...KEYSTONE]);
    expect(r.code, r.stderr).toBe(0);
    const found = new Map<string, Running>();
    for (const line of r.stdout.trim().split("\n")) {
      const [name, image, startedAt, health] = line.split(" ");
      found.set(name!.replace(/^\//, ""), { image: image!, startedAt: Date.parse(startedAt!), health: health! });
    }
    return found;
  }

  async function configHashes(host: string): Promise<string> {
    const r = await runOnHost(bed, host, ["sh", "-c", `sha256sum ${CONFIG_DIRS.map((d) => `${d}/*`).join(" ")}`]);
    expect(r.code, r.stderr).toBe(0);
    return r.stdout;
  }

  function report(r: CliResult): JsonReport {
    expect(r.stdout.trim().startsWith("{"), r.stderr).toBe(true);
    return JSON.parse(r.stdout) as JsonReport;
  }

  const tagOf = (image: string) => image.slice(image.lastIndexOf(":") + 1);

  beforeAll(async () => {
    bed = loadTestbed();
    hosts = bed.hosts.map((h) => h.name);
    // The second tag, for the keystone images only (the default build pushes testbed and broken).
    execFileSync("bash", [join(REPO_ROOT, "tests/images/build.sh"), "--testbed-dir", bed.dir, "--tag", "t2", "--no-broken", "--only", "keystone,keystone-ssh,keystone-fernet"], { stdio: "ignore" });
    await wipe();
    env = makeDeployEnv(bed, { globals: GLOBALS });
    const deployed = env.kd("deploy", "--tags", "common,keystone");
    expect(deployed.code, deployed.stdout + deployed.stderr).toBe(0);
  }, 300_000);

  afterAll(async () => {
    if (bed !== undefined) await wipe();
  }, 120_000);

  it("upgrade --tag t2 recreates keystone host by host, each batch healthy before the next starts", SLOW, async () => {
    const r = env.kd("upgrade", "--service", "keystone", "--tag", "t2", "--json");
    expect(r.code, r.stderr).toBe(0);
    const doc = report(r);
    expect(doc.ok).toBe(true);
    expect(doc.roles[0]!.batches).toEqual(hosts.map((h) => [h]));
    const running = await Promise.all(hosts.map((h) => keystoneOn(h)));
    for (const [i, host] of hosts.entries()) {
      const result = doc.hosts.find((h) => h.host === host)!;
      expect(result.status).toBe("upgraded");
      for (const name of KEYSTONE) {
        const c = running[i]!.get(name)!;
        expect(tagOf(c.image), `${host} ${name}`).toBe("t2");
        expect(["healthy", "none"], `${host} ${name}`).toContain(c.health);
        expect(result.containers.find((x) => x.container === name)?.healthyAt, `${host} ${name}`).toBeDefined();
      }
      if (i === 0) continue;
      // Nothing on this host started before every container of the previous batch was healthy.
      const previousHealthy = Math.max(...doc.hosts.find((h) => h.host === hosts[i - 1])!.containers.map((c) => Date.parse(c.healthyAt!)));
      const firstStart = Math.min(...KEYSTONE.map((n) => running[i]!.get(n)!.startedAt));
      expect(firstStart, `${host} started before ${hosts[i - 1]} was healthy`).toBeGreaterThan(previousHealthy);
      expect(running[i]!.get("keystone")!.startedAt).toBeGreaterThan(running[i - 1]!.get("keystone")!.startedAt);
    }
    const state = await runOnHost(bed, hosts[0]!, ["cat", "/var/lib/kolla-deploy/state.json"]);
    const saved = JSON.parse(state.stdout).containers.keystone.previous as { image: string; configDir: string };
    expect(tagOf(saved.image)).toBe("testbed");
    expect(saved.configDir).toBe("/etc/kolla/keystone");
    const copy = await runOnHost(bed, hosts[0]!, ["ls", "/var/lib/kolla-deploy/previous/keystone"]);
    expect(copy.stdout.split("\n")).toContain("keystone.conf");
    const history = await runOnHost(bed, hosts[0]!, ["tail", "-n", "1", "/var/lib/kolla-deploy/history.jsonl"]);
    const line = JSON.parse(history.stdout) as { verb: string; result: string; changes: { recreated: string[]; steps: string[] } };
    expect(line).toMatchObject({ verb: "upgrade", result: "ok" });
    expect([...line.changes.recreated].sort()).toEqual([...KEYSTONE].sort());
    expect(line.changes.steps).toEqual(["keystone: run bootstrap_keystone (KOLLA_UPGRADE)"]);
    t2Config = new Map(await Promise.all(hosts.map(async (h) => [h, await configHashes(h)] as const)));
  });

  it("upgrade --tag broken fails the health gate on the first batch; the other hosts keep t2 and their config", SLOW, async () => {
    const before = await Promise.all(hosts.map((h) => keystoneOn(h)));
    // A config change rides along, so rollback has a previous config to restore, not only an image.
    const r = env.kd("upgrade", "--service", "keystone", "--tag", "broken", "--health-timeout", "10", "-e", "keystone_logging_debug=True", "--json");
    expect(r.code, r.stderr).toBe(1);
    const doc = report(r);
    expect(doc.ok).toBe(false);
    expect(doc.stopped).toContain("stopped after batch 1/3");
    const [first, ...rest] = hosts;
    const failed = doc.hosts.find((h) => h.host === first)!;
    expect(failed.status).toBe("failed");
    expect(failed.error!.code).toBe("E_ENGINE_HEALTH");
    for (const host of rest) expect(doc.hosts.find((h) => h.host === host)!.status).toBe("not reached");
    const firstNow = await keystoneOn(first!);
    for (const name of KEYSTONE) expect(tagOf(firstNow.get(name)!.image)).toBe("broken");
    const conf = await runOnHost(bed, first!, ["grep", "^debug", "/etc/kolla/keystone/keystone.conf"]);
    expect(conf.stdout.trim()).toBe("debug = True");
    for (const [i, host] of hosts.entries()) {
      if (host === first) continue;
      const now = await keystoneOn(host);
      for (const name of KEYSTONE) {
        expect(tagOf(now.get(name)!.image), `${host} ${name}`).toBe("t2");
        expect(now.get(name)!.startedAt, `${host} ${name} was restarted`).toBe(before[i]!.get(name)!.startedAt);
      }
      expect(await configHashes(host)).toBe(t2Config.get(host));
    }
  });

  it("rollback puts every keystone container back on the previous tag and config; deploy --check then plans nothing", SLOW, async () => {
    const r = env.kd("rollback", "--service", "keystone", "--json");
    expect(r.code, r.stderr).toBe(0);
    const doc = report(r);
    expect(doc.hosts.map((h) => `${h.host} ${h.status}`)).toEqual([`${hosts[0]} rolled back`]);
    for (const host of hosts) {
      const now = await keystoneOn(host);
      for (const name of KEYSTONE) {
        expect(tagOf(now.get(name)!.image), `${host} ${name}`).toBe("t2");
        expect(["healthy", "none"], `${host} ${name}`).toContain(now.get(name)!.health);
      }
      expect(await configHashes(host), host).toBe(t2Config.get(host));
    }
    const check = env.kd("deploy", "--check", "--tags", "keystone", "-e", "openstack_tag=t2");
    expect(check.code, check.stdout + check.stderr).toBe(0);
    const again = env.kd("rollback", "--service", "keystone");
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("nothing to roll back");
  });
});
