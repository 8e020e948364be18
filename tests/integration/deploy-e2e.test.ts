/**
 * Issue 4's acceptance list, end to end on a 3-host test bed: deploy once (beforeAll), then each
 * test makes one change and checks that exactly the expected files and containers changed, by
 * comparing container Id/StartedAt and file mtime/ctime snapshots taken over plain ssh.
 * The tests run in order and build on each other's state; afterAll wipes the hosts.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { limiter } from "../../src/limit.js";
import { afterAll, beforeAll, expect, it } from "vitest";
import { makePlan } from "../../src/apply/planner.js";
import { poolHostsOf } from "../../src/cli/session.js";
import { TransportPool } from "../../src/exec/index.js";
import { hostVars } from "../../src/inventory/index.js";
import { REPO_ROOT, type CliResult } from "../helpers/cli.js";
import { makeDeployEnv, WIPE_HOST_SCRIPT, type DeployEnv } from "../helpers/deploy-env.js";
import { runOnHost } from "../helpers/ssh-runner.js";
import { describeTestbed, loadTestbed, type Testbed } from "../helpers/testbed.js";
import * as s from "./deploy-support.js";

interface Applied {
  r: CliResult;
  /** "host/container how" (s.containerChanges) */
  containers: string[];
  /** "host:path" (s.fileChanges) */
  files: string[];
}

/** Per test: a few CLI runs each; generous because CI shares 2 cores with everything else. */
const SLOW = 300_000;
const STATE = "/var/lib/kolla-deploy/state.json";
const NO_CHANGES = "plan: 0 file(s) to write, 0 container(s) to create, 0 to recreate, 0 to restart, 0 bootstrap step(s)";

describeTestbed("deploy / reconfigure / --check end to end", () => {
  let bed: Testbed;
  let env: DeployEnv;
  let hosts: string[];
  let expected: Map<string, string[]>;
  let roleOf: Map<string, string>;
  let secrets: string[];
  let firstDeploy: CliResult;
  const outputs: { what: string; text: string }[] = [];

  function recorded(what: string, r: CliResult): CliResult {
    outputs.push({ what, text: r.stdout + r.stderr });
    return r;
  }

  const kd = (verb: string, ...args: string[]) => recorded(`${verb} ${args.join(" ")}`, env.kd(verb, ...args));

  /** The plan as JSON (stdout to a file: see the last-but-one test for why). */
  function checkJson(verb: string, ...args: string[]): s.JsonPlan {
    const r = recorded(`${verb} --check --json ${args.join(" ")}`, s.kdToFile(env, verb, "--check", "--json", ...args));
    expect([0, 2], r.stderr).toContain(r.code);
    return s.parsePlan(r.stdout);
  }

  function writeOverride(relative: string, text: string): void {
    const path = join(env.configdir, "config", relative);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }

  /** Runs a changing verb; returns what changed on the given hosts. */
  async function appliedOn(watched: readonly string[], verb: string, ...args: string[]): Promise<Applied> {
    const before = await s.snapshot(bed, watched);
    const r = kd(verb, ...args);
    const after = await s.snapshot(bed, watched);
    return { r, containers: s.containerChanges(before, after), files: s.fileChanges(before, after) };
  }
  const applied = (verb: string, ...args: string[]) => appliedOn(hosts, verb, ...args);

  const wipe = () => Promise.all(bed.hosts.map((h) => runOnHost(bed, h.name, ["sh", "-c", WIPE_HOST_SCRIPT], { timeoutMs: 300_000 })));
  const withState = (files: readonly string[]) => [...files, ...new Set(files.map((f) => `${f.split(":")[0]}:${STATE}`))].sort();
  const inContainer = (host: string, container: string, path: string) => runOnHost(bed, host, ["docker", "exec", container, "cat", path]);

  beforeAll(async () => {
    bed = loadTestbed();
    hosts = bed.hosts.map((h) => h.name);
    await wipe();
    env = makeDeployEnv(bed);
    const p = s.prepared(env);
    expected = s.expectedContainers(p, hosts);
    roleOf = s.roleOf(p);
    secrets = s.passwordValues(join(env.configdir, "passwords.yml"));
    const pre = checkJson("deploy");
    expect(pre.plan.hosts.flatMap((h) => h.bootstrap).length).toBeGreaterThan(0);
    firstDeploy = kd("deploy");
  }, 600_000);

  afterAll(async () => {
    if (bed === undefined) return;
    startSshd("node3"); // in case the unreachable-host test was cut short
    await wipe();
  }, 600_000);

  it("deploy runs every enabled container on the hosts its groups name, and each config file is the local render", async () => {
    expect(firstDeploy.code, firstDeploy.stdout + firstDeploy.stderr).toBe(0);
    const snap = await s.snapshot(bed, hosts);
    for (const host of hosts) {
      expect(expected.get(host)!.length).toBeGreaterThan(20);
      const containers = snap.get(host)!.containers;
      expect([...containers.keys()].sort(), host).toEqual(expected.get(host));
      expect([...containers].filter(([, c]) => c.status !== "running").map(([n]) => n), host).toEqual([]);
    }
    const p = s.prepared(env);
    const pool = new TransportPool([...new Set(poolHostsOf(p))].map((name) => ({ name, vars: hostVars(p.inventory, name) })));
    try {
      const result = await makePlan(p, pool, "genconfig", limiter(10));
      for (const host of hosts) {
        const files = result.desired.get(host)!.services.flatMap((svc) => svc.files);
        expect(files.length).toBeGreaterThan(30);
        const onHost = await readFiles(bed, host, files.map((f) => f.path));
        const want = new Map(files.map((f) => [f.path, `${f.mode.toString(8)} ${f.content}`]));
        expect(onHost, host).toEqual(want);
      }
    } finally {
      await pool.closeAll();
    }
  }, SLOW);

  it("a second deploy and a reconfigure write no file and touch no container; --check before each says so", async () => {
    for (const verb of ["deploy", "reconfigure"]) {
      const check = kd(verb, "--check");
      expect(check.code, check.stderr).toBe(0);
      for (const host of hosts) expect(check.stdout).toContain(`${host}: no changes\n`);
      expect(check.stdout).toContain(NO_CHANGES);
      const run = await applied(verb);
      expect(run.r.code, run.r.stderr).toBe(0);
      expect(run.containers, verb).toEqual([]);
      expect(run.files, verb).toEqual([]);
      // The budget of a no-change run: one connection and two execs per host (lock + gather, history + unlock).
      const logPath = /run log: (\S+)/.exec(run.r.stderr)![1]!;
      const end = readFileSync(logPath, "utf8").split("\n").filter((l) => l.includes('"run end"')).map((l) => JSON.parse(l) as { stats: { hosts: Record<string, { connections: number; execs: number }> } })[0]!;
      for (const host of hosts) expect(end.stats.hosts[host], `${verb} on ${host}`).toEqual({ connections: 1, execs: 2 });
    }
  }, SLOW);

  it("an override for nova-scheduler: --check shows exactly those containers with the diff (exit 2); reconfigure restarts only them", async () => {
    writeOverride("nova/nova-scheduler.conf", "[DEFAULT]\nw6_scheduler_marker = sched-42\n");
    const schedulers = hosts.filter((h) => expected.get(h)!.includes("nova_scheduler")).map((h) => `${h}/nova_scheduler`);
    expect(schedulers.length).toBeGreaterThan(0);
    const text = kd("reconfigure", "--check");
    expect(text.code).toBe(2);
    expect(text.stdout.match(/^\s+\+w6_scheduler_marker = sched-42$/gm)).toHaveLength(schedulers.length);
    const listed = [...text.stdout.matchAll(/^\s+\S+ (?:create|recreate|restart) container (\S+) /gm)].map((m) => m[1]);
    expect(listed).toEqual(schedulers.map(() => "nova_scheduler"));
    const plan = checkJson("reconfigure");
    expect(s.plannedContainers(plan)).toEqual(schedulers);
    expect(s.plannedFiles(plan)).toEqual(schedulers.map((c) => `${c.split("/")[0]}:/etc/kolla/nova-scheduler/nova.conf`));
    const run = await applied("reconfigure");
    expect(run.r.code, run.r.stderr).toBe(0);
    expect(run.containers).toEqual(s.asRestarts(schedulers));
    expect(run.files).toEqual(withState(s.plannedFiles(plan)));
    for (const c of schedulers) {
      const conf = await inContainer(c.split("/")[0]!, "nova_scheduler", "/etc/nova/nova.conf");
      expect(conf.stdout).toMatch(/^w6_scheduler_marker = sched-42$/m);
    }
  }, SLOW);

  it("a per-host override (nova/node2/nova.conf) changes node2's nova containers only", async () => {
    writeOverride("nova/node2/nova.conf", "[database]\nmax_pool_size = 7\n");
    const readers = s.readersOf(s.prepared(env), "{{node_custom_config}}/nova/{{inventory_hostname}}/nova.conf");
    const want = expected.get("node2")!.filter((c) => readers.has(c)).map((c) => `node2/${c}`);
    expect(want.length).toBeGreaterThan(2);
    expect(want.every((c) => roleOf.get(c.split("/")[1]!) === "nova")).toBe(true);
    expect(s.plannedContainers(checkJson("reconfigure"))).toEqual(want);
    const run = await applied("reconfigure");
    expect(run.r.code, run.r.stderr).toBe(0);
    expect(run.containers).toEqual(s.asRestarts(want));
    expect(run.files.every((f) => f.startsWith("node2:"))).toBe(true);
    expect((await inContainer("node2", "nova_api", "/etc/nova/nova.conf")).stdout).toMatch(/^max_pool_size = 7$/m);
    expect((await inContainer("node1", "nova_api", "/etc/nova/nova.conf")).stdout).toMatch(/^max_pool_size = 1$/m);
  }, SLOW);

  it("--tags keystone touches only keystone; --limit node1 touches only node1 and the others still plan the change", async () => {
    writeOverride("global.conf", "[DEFAULT]\nw6_global_marker = g1\n");
    const pending = s.plannedContainers(checkJson("reconfigure"));
    const keystone = pending.filter((c) => roleOf.get(c.split("/")[1]!) === "keystone");
    expect(keystone.length).toBeGreaterThan(0);
    expect(hosts.every((h) => pending.some((c) => c.startsWith(`${h}/`) && !keystone.includes(c)))).toBe(true);
    const tagged = checkJson("reconfigure", "--tags", "keystone");
    expect(s.plannedContainers(tagged)).toEqual(keystone);
    const byTag = await applied("reconfigure", "--tags", "keystone");
    expect(byTag.r.code, byTag.r.stderr).toBe(0);
    expect(byTag.containers).toEqual(s.asRestarts(keystone));
    expect(byTag.files).toEqual(withState(s.plannedFiles(tagged)));
    const rest = pending.filter((c) => !keystone.includes(c));

    const byLimit = await applied("reconfigure", "--limit", "node1");
    expect(byLimit.r.code, byLimit.r.stderr).toBe(0);
    expect(byLimit.containers).toEqual(s.asRestarts(rest.filter((c) => c.startsWith("node1/"))));
    expect(byLimit.files.length).toBeGreaterThan(0);
    expect(byLimit.files.every((f) => f.startsWith("node1:"))).toBe(true);
    const left = s.plannedContainers(checkJson("reconfigure"));
    expect(left).toEqual(rest.filter((c) => !c.startsWith("node1/")));
    expect(left.some((c) => c.startsWith("node2/")) && left.some((c) => c.startsWith("node3/"))).toBe(true);
  }, SLOW);

  it("a host whose sshd is down is reported failed with the reason while the others complete", async () => {
    const pending = s.plannedContainers(checkJson("reconfigure"));
    expect(pending.some((c) => c.startsWith("node3/"))).toBe(true);
    testbedScript("stop-sshd", "node3");
    let run: Applied;
    try {
      run = await appliedOn(["node1", "node2"], "reconfigure");
    } finally {
      startSshd("node3");
    }
    expect(run.r.code).toBe(1);
    expect(run.r.stdout).toMatch(/^node3\s+failed\s.*SSH connection to \S+ refused \[E_HOST_UNREACHABLE\]/m);
    expect(run.r.stdout).toMatch(/^node2\s+changed\s/m);
    expect(run.r.stdout).toMatch(/^node1\s+unchanged\s/m);
    expect(run.containers).toEqual(s.asRestarts(pending.filter((c) => c.startsWith("node2/"))));
    expect(s.plannedContainers(checkJson("reconfigure"))).toEqual(pending.filter((c) => c.startsWith("node3/")));
  }, SLOW);

  it("warns about an override file no role reads, naming its path", () => {
    writeOverride("nova/nova-schedular.conf", "[DEFAULT]\ndebug = True\n");
    const r = kd("reconfigure", "--check", "--limit", "node1");
    const path = join(env.configdir, "config", "nova", "nova-schedular.conf");
    expect(r.stdout).toContain(`warning: override file ${path} is not read by any role`);
    expect(r.stdout).not.toMatch(/warning: override file .*nova-scheduler\.conf/);
  }, SLOW);

  it("--json plans parse and have the documented structure, also through a slow pipe", () => {
    const piped = recorded("deploy --check --json | slow reader", s.kdThroughSlowPipe(env, "deploy", "--check", "--json"));
    expect(() => JSON.parse(piped.stdout), `output cut at ${piped.stdout.length} bytes`).not.toThrow();
    expect(piped.stdout.length).toBeGreaterThan(128 * 1024); // more than two pipe buffers
    const plan = s.parsePlan(piped.stdout);
    expect(plan).toEqual({ plan: { verb: "deploy", roles: expect.any(Array), hosts: expect.any(Array), warnings: expect.any(Array) }, failed: {} });
    expect(plan.plan.hosts.map((h) => h.host)).toEqual(hosts);
    for (const h of plan.plan.hosts) {
      expect(Object.keys(h).sort()).toEqual(["bootstrap", "containers", "files", "host", "run"]);
      // `run`: what apply would send, in order; a file update is one upload, a restart one command.
      for (const item of h.run) expect(item).toMatchObject({ phase: expect.any(String), what: expect.any(String) });
      const restarts = h.containers.filter((c) => c.action === "restart").map((c) => c.container);
      const restartArgv = h.run.flatMap((i) => i.commands ?? []).filter((c) => c.argv[1] === "restart").map((c) => c.argv.at(-1));
      expect(restartArgv.sort()).toEqual(restarts.sort());
      for (const f of h.files) {
        expect(f).toMatchObject({ path: expect.stringMatching(/^\/etc\/kolla\//), action: expect.stringMatching(/^(create|update|unchanged)$/) });
        expect(f.reasons.every((x) => typeof x === "string")).toBe(true);
        if (f.diff !== undefined) expect(f.action).toBe("update");
      }
      for (const c of h.containers) {
        expect(c).toMatchObject({ role: expect.any(String), service: expect.any(String), action: expect.stringMatching(/^(create|recreate|restart|none)$/) });
        expect(c.spec.name).toBe(c.container);
        expect(c.configHash).toMatch(/^[0-9a-f]{64}$/);
        expect(Object.values(c.fileHashes).every((x) => /^[0-9a-f]{64}$/.test(x))).toBe(true);
      }
    }
    const updates = plan.plan.hosts.flatMap((h) => h.files.filter((f) => f.action === "update"));
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.every((f) => f.diff!.startsWith("--- "))).toBe(true);
  }, SLOW);

  it("after a password rotation, --check diffs show neither the new nor the old password", () => {
    const file = join(env.configdir, "passwords.yml");
    const original = readFileSync(file, "utf8");
    const old = /^nova_database_password: (\S+)$/m.exec(original)![1]!;
    const rotated = `Rotated${old.slice(0, 20)}`;
    writeFileSync(file, original.replace(`nova_database_password: ${old}`, `nova_database_password: ${rotated}`));
    try {
      const text = kd("reconfigure", "--check", "--limit", "node1");
      expect(text.code).toBe(2);
      expect(text.stdout).toMatch(/^\s+-connection = mysql\+pymysql:\/\/nova:<redacted>@/m);
      expect(text.stdout).toMatch(/^\s+\+connection = mysql\+pymysql:\/\/nova:<redacted>@/m);
      const json = JSON.stringify(checkJson("reconfigure", "--limit", "node1"));
      for (const out of [text.stdout + text.stderr, json]) s.expectNoSecrets("rotation --check", out, [old, rotated]);
    } finally {
      writeFileSync(file, original);
    }
  }, SLOW);

  it("no passwords.yml value appears in any output, --json plan or run log", () => {
    expect(outputs.length).toBeGreaterThan(10);
    expect(outputs.some((o) => o.text.includes("<redacted>"))).toBe(true);
    for (const o of outputs) s.expectNoSecrets(o.what, o.text, secrets);
    const logDir = join(env.dir, "logs");
    const logs = readdirSync(logDir);
    expect(logs.length).toBeGreaterThan(5);
    for (const name of logs) s.expectNoSecrets(`run log ${name}`, readFileSync(join(logDir, name), "utf8"), secrets);
  }, SLOW);
});

/** path → "<octal mode> <content>" of each file on the host, read in one ssh call. */
async function readFiles(bed: Testbed, host: string, paths: readonly string[]): Promise<Map<string, string>> {
  const script = `for f in "$@"; do printf '%s %s ' "$f" "$(stat -c %a "$f")"; base64 -w0 < "$f"; echo; done`;
  const r = await runOnHost(bed, host, ["sh", "-c", script, "sh", ...paths]);
  const files = new Map<string, string>();
  for (const line of r.stdout.split("\n").filter((l) => l !== "")) {
    const [path, mode, b64 = ""] = line.split(" ");
    files.set(path!, `${mode} ${Buffer.from(b64, "base64").toString("utf8")}`);
  }
  return files;
}

/** Runs testbed.sh with this process's TESTBED_* environment (the instance under test). */
function testbedScript(...args: string[]): void {
  execFileSync("bash", [join(REPO_ROOT, "tests", "testbed", "testbed.sh"), ...args], { stdio: "pipe" });
}

/** start-sshd, retried: under load the script may give up waiting before sshd answers. */
function startSshd(host: string): void {
  for (let attempt = 1; ; attempt++) {
    try {
      return testbedScript("start-sshd", host);
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}
