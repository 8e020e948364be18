/** withHostLocks over "hosts" that are local directories, with the real lock scripts. */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DeployError } from "../../../src/errors.js";
import { FailedTransport } from "../../../src/exec/failed.js";
import { LockHeld, noChanges, withHostLocks, type HistoryEntry, type LockOptions } from "../../../src/lock/index.js";
import { DIR, localHosts, type LocalHosts } from "./local-hosts.js";

const run = (verb = "deploy") => ({ verb, argv: ["kolla-deploy", verb, "-e", "db_password=s3cret"], secrets: ["s3cret"] });
const opts = (extra: LockOptions = {}): LockOptions => ({ dir: DIR, handleSignals: false, pollSec: 0.1, ...extra });

function history(hosts: LocalHosts, host: string): HistoryEntry[] {
  const file = join(hosts.dirOf(host), "history.jsonl");
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as HistoryEntry);
}

function lockText(hosts: LocalHosts, host: string): string | undefined {
  const file = join(hosts.dirOf(host), "lock");
  return existsSync(file) ? readFileSync(file, "utf8") : undefined;
}

function foreignLock(hosts: LocalHosts, host: string, ageSec: number, from = "elsewhere"): void {
  const file = join(hosts.dirOf(host), "lock");
  writeFileSync(file, JSON.stringify({ v: 1, token: "foreign", user: "bob", host: from, pid: 1, since: "2024-01-01T00:00:00Z", verb: "upgrade", command: ["kolla-deploy", "upgrade"] }) + "\n");
  const t = new Date(Date.now() - ageSec * 1000);
  utimesSync(file, t, t);
}

describe("withHostLocks", () => {
  it("holds every host while fn runs, then appends each host's history line and releases, one exec each way", async () => {
    const hosts = localHosts(["a", "b"]);
    const value = await withHostLocks(hosts, ["a", "b"], run(), async (session) => {
      expect(session.hosts).toEqual(["a", "b"]);
      const holder = JSON.parse(lockText(hosts, "a")!) as { user: string; host: string; pid: number; command: string[] };
      expect(holder).toMatchObject({ host: hostname(), pid: process.pid, command: ["kolla-deploy", "deploy", "-e", "db_password=<redacted>"] });
      session.record("a", { result: "ok", changes: { ...noChanges(), files: ["/etc/kolla/x.conf"], restarted: ["x"] } });
      return 42;
    }, opts());
    expect(value).toBe(42);
    expect(lockText(hosts, "a")).toBeUndefined();
    expect(lockText(hosts, "b")).toBeUndefined();
    const [a] = history(hosts, "a");
    expect(a).toMatchObject({ host: "a", verb: "deploy", result: "ok", pid: process.pid, changes: { files: ["/etc/kolla/x.conf"], restarted: ["x"] } });
    expect(history(hosts, "b")[0]).toMatchObject({ result: "ok", changes: noChanges() });
    expect(history(hosts, "b")[0]!.run).toBe(a!.run);
    expect(readFileSync(join(hosts.dirOf("a"), "history.jsonl"), "utf8")).not.toContain("s3cret");
    expect([hosts.commands.get("a"), hosts.commands.get("b")]).toEqual([2, 2]);
  });

  it("a failing run still releases, and records failed with the error code", async () => {
    const hosts = localHosts(["a", "b"]);
    const boom = new DeployError("E_BOOM", "boom", "");
    await expect(withHostLocks(hosts, ["a", "b"], run(), async (s) => {
      s.record("a", { result: "failed", error: "E_STEP", changes: { ...noChanges(), created: ["c1"] } });
      throw boom;
    }, opts())).rejects.toBe(boom);
    expect(lockText(hosts, "a")).toBeUndefined();
    expect(history(hosts, "a")[0]).toMatchObject({ result: "failed", error: "E_STEP", changes: { created: ["c1"] } });
    expect(history(hosts, "b")[0]).toMatchObject({ result: "failed", error: "E_BOOM" });
  });

  it("refuses a second run with one line per held host naming the holder, and leaves no trace", async () => {
    const hosts = localHosts(["a", "b", "c"]);
    let refused: unknown;
    await withHostLocks(hosts, ["a", "b"], run(), async () => {
      refused = await withHostLocks(hosts, ["a", "b", "c"], run("reconfigure"), async () => "ran", opts()).catch((e: unknown) => e);
    }, opts());
    expect(refused).toBeInstanceOf(LockHeld);
    const lines = (refused as LockHeld).oneLine().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^host a: locked by \\S+@${hostname()} \\(pid ${process.pid}\\) since \\S+ \\(\\d+s ago\\), running "kolla-deploy deploy -e db_password=<redacted>" \\[E_LOCK_HELD\\]$`));
    expect(lines[1]).toMatch(/^host b: locked by/);
    expect(lines[2]).toContain("hint: wait for that run to finish or pass --lock-wait");
    // c was free: taken during the attempt, let go again, nothing recorded
    expect(lockText(hosts, "c")).toBeUndefined();
    expect(history(hosts, "c")).toEqual([]);
    expect(history(hosts, "a").map((e) => e.verb)).toEqual(["deploy"]);
  });

  it("a refusal also names hosts the gate's holder took just after we read them", async () => {
    const hosts = localHosts(["a", "b", "c"]);
    foreignLock(hosts, "a", 1);
    // b gets locked by the same holder a moment after the refused run first reads it; c stays free
    const late = setTimeout(() => foreignLock(hosts, "b", 0), 150);
    const refused = await withHostLocks(hosts, ["a", "b", "c"], run(), async () => "ran", opts()).catch((e: unknown) => e);
    clearTimeout(late);
    expect(refused).toBeInstanceOf(LockHeld);
    expect((refused as LockHeld).held.map((h) => h.host)).toEqual(["a", "b"]);
    expect(lockText(hosts, "c")).toBeUndefined();
  });

  it("of two runs started together over the same hosts, exactly one runs (the first host in name order is the gate)", async () => {
    for (let round = 0; round < 8; round++) {
      const hosts = localHosts(["c", "a", "b", "d"]);
      const both = await Promise.allSettled(
        [0, 1].map(() => withHostLocks(hosts, ["c", "a", "b", "d"], run(), () => new Promise((r) => setTimeout(() => r("ran"), 300)), opts())),
      );
      expect(both.map((r) => r.status).sort(), `round ${round}`).toEqual(["fulfilled", "rejected"]);
      const refused = both.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(refused.reason).toBeInstanceOf(LockHeld);
    }
  });

  it("--lock-wait: the second run waits for the first and then proceeds", async () => {
    const hosts = localHosts(["a"]);
    const notes: string[] = [];
    let second: Promise<string> | undefined;
    await withHostLocks(hosts, ["a"], run(), async () => {
      second = withHostLocks(hosts, ["a"], run("genconfig"), async () => "second ran", opts({ waitSec: 30, notify: (m) => notes.push(m) }));
      await new Promise((r) => setTimeout(r, 400));
    }, opts());
    await expect(second).resolves.toBe("second ran");
    expect(notes.some((n) => n.startsWith("a: locked by") && n.includes("waiting up to 30s"))).toBe(true);
    const [first, next] = history(hosts, "a");
    expect([first!.verb, next!.verb]).toEqual(["deploy", "genconfig"]);
    // the lock's "since" is when it was taken, after the wait
    expect(Date.parse(next!.at)).toBeGreaterThanOrEqual(Date.parse(first!.at) + first!.durationMs - 5);
  });

  it("refuses after --lock-wait runs out", async () => {
    const hosts = localHosts(["a"]);
    foreignLock(hosts, "a", 0);
    const start = Date.now();
    await expect(withHostLocks(hosts, ["a"], run(), async () => "ran", opts({ waitSec: 0.5 }))).rejects.toThrow(LockHeld);
    expect(Date.now() - start).toBeGreaterThanOrEqual(500);
    expect(lockText(hosts, "a")).toContain('"token":"foreign"');
  });

  it("takes over a lock whose holder on this deployment host is gone, with a warning", async () => {
    const hosts = localHosts(["a"]);
    const gone = spawnSync("true").pid!;
    writeFileSync(join(hosts.dirOf("a"), "lock"), JSON.stringify({ v: 1, token: "dead", user: "u", host: hostname(), pid: gone, since: "2024-01-01T00:00:00Z", verb: "deploy", command: ["kolla-deploy", "deploy"] }));
    const notes: string[] = [];
    await expect(withHostLocks(hosts, ["a"], run(), async () => lockText(hosts, "a"), opts({ notify: (m) => notes.push(m) }))).resolves.toContain(`"pid":${process.pid}`);
    expect(notes).toEqual([`warning: a: took over the lock of u@${hostname()} (pid ${gone}, "kolla-deploy deploy"): it was stale, its process ${gone} on ${hostname()} is gone`]);
  });

  it("a lock from another deployment host goes stale only without heartbeat for staleAfterSec", async () => {
    const hosts = localHosts(["a", "b"]);
    foreignLock(hosts, "a", 10);
    foreignLock(hosts, "b", 400);
    await expect(withHostLocks(hosts, ["a"], run(), async () => "ran", opts())).rejects.toThrow(LockHeld);
    const notes: string[] = [];
    await expect(withHostLocks(hosts, ["b"], run(), async () => "ran", opts({ notify: (m) => notes.push(m) }))).resolves.toBe("ran");
    expect(notes[0]).toMatch(/^warning: b: took over the lock of bob@elsewhere .*no heartbeat for 6m4\ds \(more than 5m00s\)$/);
    await expect(withHostLocks(hosts, ["a"], run(), async () => "ran", opts({ staleAfterSec: 5 }))).resolves.toBe("ran");
  });

  it("refreshes the heartbeat while fn runs", async () => {
    const hosts = localHosts(["a"]);
    const file = join(hosts.dirOf("a"), "lock");
    await withHostLocks(hosts, ["a"], run(), async () => {
      const old = new Date(Date.now() - 3600_000);
      utimesSync(file, old, old);
      await new Promise((r) => setTimeout(r, 700));
      expect(Date.now() - statSync(file).mtimeMs).toBeLessThan(5_000);
    }, opts({ heartbeatSec: 0.2 }));
  });

  it("leaves unreachable hosts out of the run, reporting them", async () => {
    const hosts = localHosts(["a"]);
    const down = new DeployError("E_HOST_UNREACHABLE", "connection refused", "", { host: "down" });
    const pool = { get: (h: string) => (h === "down" ? new FailedTransport("down", down) : hosts.get(h)) };
    await withHostLocks(pool, ["a", "down"], run(), async (s) => {
      expect(s.hosts).toEqual(["a"]);
      expect(s.failed.get("down")).toBe(down);
    }, opts());
    expect(history(hosts, "a")).toHaveLength(1);
  });
});
