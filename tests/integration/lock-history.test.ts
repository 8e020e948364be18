/**
 * The deploy lock and the run history on the test bed, through the real CLI: two deploys started
 * together (one runs, the other is refused naming the holder and changes nothing), --lock-wait,
 * lock status, a SIGKILLed run's lock taken over as stale, SIGINT releasing, lock release asking
 * for confirmation, and `history` showing what each run changed. Runs one small role (memcached)
 * so the file stays quick; SIGSTOP keeps a holder in place where timing would otherwise decide.
 * Leaves the hosts wiped (containers, /etc/kolla, /var/lib/kolla-deploy).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { REPO_ROOT, runCli, type CliResult } from "../helpers/cli.js";
import { makeDeployEnv, WIPE_HOST_SCRIPT, type DeployEnv } from "../helpers/deploy-env.js";
import { runOnHost } from "../helpers/ssh-runner.js";
import { describeTestbed, loadTestbed, type Testbed } from "../helpers/testbed.js";

const TAGS = ["-t", "memcached"];
// Each CLI start costs seconds on a busy machine; the file makes about 25 of them.
const SLOW = 240_000;
const LOCK = "/var/lib/kolla-deploy/lock";

interface Started {
  readonly child: ChildProcess;
  readonly stderr: () => string;
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

interface HistoryRow {
  host: string; verb: string; user: string; from: string; pid: number; run: string; at: string; durationMs: number;
  result: string; error?: string; command: string[];
  changes: { files: string[]; created: string[]; recreated: string[]; restarted: string[]; steps: string[] };
}

describeTestbed("deploy lock and run history on the test bed", () => {
  let bed: Testbed;
  let env: DeployEnv;
  let hosts: string[];

  const running = new Set<ChildProcess>();
  const wipe = () => Promise.all(hosts.map((h) => runOnHost(bed, h, ["sh", "-c", WIPE_HOST_SCRIPT])));

  /** The CLI as a child process we can signal (runCli waits for the end). */
  function start(verb: string, ...args: string[]): Started {
    const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), join(REPO_ROOT, "src", "main.ts"), verb, "-i", env.inventory, "--configdir", env.configdir, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, KOLLA_DEPLOY_LOG_DIR: join(env.dir, "logs") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    running.add(child);
    let out = "";
    let err = "";
    child.stdout!.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr!.on("data", (b: Buffer) => (err += b.toString()));
    const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
      child.on("close", (code, signal) => resolve({ code, signal, stdout: out, stderr: err })),
    );
    return { child, stderr: () => err, done };
  }

  async function lockOn(host: string): Promise<{ pid: number; user: string; host: string; since: string } | undefined> {
    const r = await runOnHost(bed, host, ["sh", "-c", `cat ${LOCK} 2>/dev/null || true`]);
    return r.stdout.trim() === "" ? undefined : JSON.parse(r.stdout);
  }

  async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * The run is past taking its locks and planning: it printed its first progress line. Reading its
   * stderr is instant, where polling the hosts over SSH could miss a quick run's lock entirely.
   */
  const working = (runs: readonly Started[]) => until("a run to start working", () => runs.find((r) => r.stderr().includes("…")));

  /** Every host's lock names `pid`. */
  async function expectLockedBy(pid: number | undefined): Promise<void> {
    for (const h of hosts) expect((await lockOn(h))?.pid, h).toBe(pid);
  }

  /** `kolla-deploy lock <sub> -i <inventory> ...args` (env.kd puts the inventory right after the first word). */
  const lock = (sub: string, ...args: string[]): CliResult =>
    runCli(["lock", sub, "-i", env.inventory, ...args], { env: { KOLLA_DEPLOY_LOG_DIR: join(env.dir, "logs") } });

  const history = (...args: string[]): HistoryRow[] => {
    const r = env.kd("history", "--json", ...(args.includes("--last") ? [] : ["--all"]), ...args);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as HistoryRow[];
  };

  beforeAll(async () => {
    bed = loadTestbed();
    env = makeDeployEnv(bed);
    hosts = bed.hosts.filter((h) => h.engine !== "none").map((h) => h.name);
    await wipe();
  });

  // A failed test must not leave a (stopped) run holding the lock for the next one.
  afterEach(() => {
    for (const child of running) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGCONT");
        child.kill("SIGKILL");
      }
    }
    running.clear();
  });

  afterAll(async () => {
    if (hosts !== undefined) await wipe();
  }, SLOW);

  it("two deploys started together: one runs, the other is refused naming the holder and changes nothing", async () => {
    const [a, b] = [start("deploy", ...TAGS), start("deploy", ...TAGS)];
    const winner = await working([a, b]);
    const loser = winner === a ? b : a;
    // Keep the winner holding (however quick its deploy) until the loser has given up.
    winner.child.kill("SIGSTOP");
    const holderPid = winner.child.pid!;
    await expectLockedBy(holderPid);
    const refused = await loser.done;
    winner.child.kill("SIGCONT");
    const won = await winner.done;

    expect(refused.code).toBe(1);
    const lines = refused.stderr.trim().split("\n").filter((l) => l.includes("[E_LOCK_HELD]"));
    expect(lines).toHaveLength(hosts.length);
    for (const [i, line] of lines.entries()) {
      expect(line).toMatch(new RegExp(`host ${hosts[i]}: locked by \\S+@\\S+ \\(pid ${holderPid}\\) since \\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z \\(\\d+s ago\\), running "kolla-deploy deploy -i \\S+ --configdir \\S+ -t memcached"`));
    }
    expect(refused.stderr).toContain("hint: wait for that run to finish or pass --lock-wait SECONDS");
    expect(refused.stdout).toBe("");
    expect(refused.stderr).not.toMatch(/[✓…]/);

    expect(won.code, won.stderr).toBe(0);
    const rows = history();
    expect(rows.map((r) => r.host).sort()).toEqual([...hosts].sort());
    for (const r of rows) expect(r).toMatchObject({ verb: "deploy", result: "ok", pid: holderPid, changes: { created: ["memcached"] } });
    for (const h of hosts) expect(await lockOn(h)).toBeUndefined();
  }, SLOW);

  it("--lock-wait: the second run waits for the holder, then proceeds; lock status shows held, then free", async () => {
    const first = start("reconfigure", ...TAGS, "-e", "memcached_connection_limit=4096");
    await working([first]);
    first.child.kill("SIGSTOP"); // a stopped holder is alive: never stale, it is waited for
    const firstPid = first.child.pid!;
    await expectLockedBy(firstPid);
    const second = start("deploy", ...TAGS, "--lock-wait", "120");
    await until("the second run to wait", () => second.stderr().includes("waiting up to 120s (--lock-wait)") || undefined);

    const status = lock("status");
    expect(status.code, status.stderr).toBe(0);
    for (const h of hosts) expect(status.stdout).toMatch(new RegExp(`^${h} +held +\\S+@\\S+ pid ${firstPid} since \\S+ \\(\\d+s ago\\) +\\d+s ago +kolla-deploy reconfigure `, "m"));
    const json = JSON.parse(lock("status", "--json").stdout) as { host: string; state: string; holder: { pid: number; verb: string } }[];
    expect(json.map((s) => [s.state, s.holder.pid, s.holder.verb])).toEqual(hosts.map(() => ["held", firstPid, "reconfigure"]));

    first.child.kill("SIGCONT");
    const [r1, r2] = await Promise.all([first.done, second.done]);
    expect(r1.code, r1.stderr).toBe(0);
    expect(r2.code, r2.stderr).toBe(0);
    const free = lock("status");
    for (const h of hosts) expect(free.stdout).toMatch(new RegExp(`^${h} +free$`, "m"));

    const rows = history("-l", hosts[0]!);
    const [reconf, deploy] = rows.slice(-2);
    expect(reconf).toMatchObject({ verb: "reconfigure", result: "ok", pid: firstPid, changes: { recreated: [], restarted: ["memcached"] } });
    expect(reconf!.changes.files).toContain("/etc/kolla/memcached/config.json");
    expect(deploy).toMatchObject({ verb: "deploy", result: "ok", pid: second.child.pid });
    // its lock (and history time) starts after the first run let go
    expect(Date.parse(deploy!.at)).toBeGreaterThanOrEqual(Date.parse(reconf!.at) + reconf!.durationMs - 1000);
  }, SLOW);

  it("a lock left by a SIGKILLed run is reported stale and taken over with a warning", async () => {
    // a changed setting, so the run has work to do (and prints progress) before it is killed
    const killed = start("deploy", ...TAGS, "-e", "memcached_connection_limit=2048");
    await working([killed]);
    killed.child.kill("SIGKILL");
    await killed.done;
    const pid = killed.child.pid!;
    await expectLockedBy(pid);

    const status = lock("status");
    expect(status.stdout).toMatch(new RegExp(`^${hosts[0]} +stale +.*\\(stale: its process ${pid} on \\S+ is gone\\)$`, "m"));
    const next = env.kd("deploy", ...TAGS, "-e", "memcached_connection_limit=2048");
    expect(next.code, next.stderr).toBe(0);
    for (const h of hosts) expect(next.stderr).toMatch(new RegExp(`warning: ${h}: took over the lock of \\S+ \\(pid ${pid}, "kolla-deploy deploy .*"\\): it was stale, its process ${pid} on \\S+ is gone`));
    for (const h of hosts) expect(await lockOn(h)).toBeUndefined();
  }, SLOW);

  it("SIGINT releases the locks and records the run as interrupted", async () => {
    const run = start("deploy", ...TAGS, "-e", "memcached_connection_limit=1024");
    await working([run]);
    const pid = run.child.pid!;
    run.child.kill("SIGINT");
    const r = await run.done;
    expect(r.signal ?? r.code).toBe("SIGINT");
    expect(r.stderr).toContain("SIGINT: releasing the locks");
    for (const h of hosts) expect(await lockOn(h)).toBeUndefined();
    const last = history("-l", hosts[0]!).at(-1)!;
    expect(last).toMatchObject({ pid, result: "interrupted", error: "E_INTERRUPTED" });
  }, SLOW);

  it("a live lock from another deployment host refuses runs; lock release asks for confirmation", async () => {
    const host = hosts[0]!;
    const foreign = JSON.stringify({ v: 1, token: "f00", user: "bob", host: "other-deploy-host", pid: 4242, since: new Date().toISOString(), verb: "upgrade", command: ["kolla-deploy", "upgrade"] });
    await runOnHost(bed, host, ["sh", "-c", `mkdir -p /var/lib/kolla-deploy && printf '%s\\n' '${foreign}' > ${LOCK}`]);

    const refused = env.kd("genconfig", ...TAGS);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`host ${host}: locked by bob@other-deploy-host (pid 4242) since`);
    expect(refused.stderr).toContain('running "kolla-deploy upgrade" [E_LOCK_HELD]');

    const noConfirm = lock("release", "-l", host);
    expect(noConfirm.code).not.toBe(0);
    expect(noConfirm.stderr).toContain("refusing to release 1 lock(s) without confirmation [E_CONFIRM]");
    expect(await lockOn(host)).toMatchObject({ user: "bob" });

    const released = lock("release", "-l", host, "--yes-i-really-really-mean-it");
    expect(released.code, released.stderr).toBe(0);
    expect(released.stdout).toContain(`${host}: released`);
    expect(await lockOn(host)).toBeUndefined();
    expect(history("-l", host).at(-1)).toMatchObject({ verb: "lock release", changes: { steps: ["released the lock of bob@other-deploy-host pid 4242 (upgrade)"] } });
  }, SLOW);

  it("history shows every run, merged across hosts and sorted by time, with what changed", () => {
    const r = env.kd("history", "--all");
    expect(r.code, r.stderr).toBe(0);
    const body = r.stdout.trim().split("\n").slice(1);
    const times = body.map((l) => l.split(/\s+/)[0]!);
    expect([...times].sort()).toEqual(times);
    expect(r.stdout).toMatch(/ deploy +\S+ +ok +[\d.]+s +1 file\(s\), created memcached/);
    expect(r.stdout).toMatch(/ reconfigure +\S+ +ok +[\d.]+s +1 file\(s\), restarted memcached/);
    expect(r.stdout).toMatch(/ deploy +\S+ +interrupted E_INTERRUPTED /);
    const last2 = history("--last", "2");
    expect(last2).toHaveLength(2);
    const all = history();
    expect(all.filter((e) => e.verb === "deploy").length).toBeGreaterThanOrEqual(4 * hosts.length);
    expect(JSON.stringify(all)).not.toMatch(/password/i);
  }, SLOW);
});
