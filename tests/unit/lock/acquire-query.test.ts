/** The plan's gather riding in the lock's acquire exec: run only under the lock, one exec per host. */
import { existsSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { acquireWithQuery } from "../../../src/lock/acquire-query.js";
import { acquireCommand } from "../../../src/lock/scripts.js";
import { LockHeld, withHostLocks, type LockOptions } from "../../../src/lock/index.js";
import { DIR, localHosts, type LocalHosts } from "./local-hosts.js";

const run = () => ({ verb: "reconfigure", argv: ["kolla-deploy", "reconfigure"], secrets: [] });
// The query leaves a mark (tests only: the real gather reads) and prints the lock it runs under.
const query = { argv: ["sh", "-c", `touch "$1/queried"; cat "$1/lock"; echo "odd $2"`, "q", DIR, "x y"], become: true };
const opts = (extra: LockOptions = {}): LockOptions => ({ dir: DIR, handleSignals: false, pollSec: 0.1, query: () => query, ...extra });

function foreignLock(hosts: LocalHosts, host: string, ageSec: number): void {
  const file = join(hosts.dirOf(host), "lock");
  writeFileSync(file, JSON.stringify({ v: 1, token: "foreign", user: "bob", host: "elsewhere", pid: 1, since: "2024-01-01T00:00:00Z", verb: "deploy", command: ["kolla-deploy"] }) + "\n");
  const t = new Date(Date.now() - ageSec * 1000);
  utimesSync(file, t, t);
}

describe("acquireWithQuery", () => {
  it("splits the acquire output from the query's, and gives no query result when the lock was not taken", () => {
    const c = acquireWithQuery(acquireCommand("{}", "/d"), { argv: ["true"], become: true }, "n1");
    const marker = "__kolla_deploy_lock_n1__ acquire-end";
    expect(c.split({ code: 4, stdout: `acquired\n${marker} 0\nQ out\n`, stderr: `${marker} 0\nQ err` })).toEqual({
      acquire: { code: 0, stdout: "acquired\n", stderr: "" },
      query: { code: 4, stdout: "Q out\n", stderr: "Q err" },
    });
    expect(c.split({ code: 0, stdout: `held\n1\n2\n{"x":1}\n${marker} 0\n`, stderr: `${marker} 0\n` })).toEqual({ acquire: { code: 0, stdout: 'held\n1\n2\n{"x":1}\n', stderr: "" } });
    expect(c.split({ code: 0, stdout: `${marker} 3\n`, stderr: `disk full\n${marker} 3\n` }).acquire).toEqual({ code: 3, stdout: "\n", stderr: "disk full" });
    // the wrapper never ran (sudo refused): the acquire failed with it
    expect(c.split({ code: 1, stdout: "", stderr: "sudo: a password is required" })).toEqual({ acquire: { code: 1, stdout: "", stderr: "sudo: a password is required" } });
  });

  it("refuses a query that takes stdin", () => {
    expect(() => acquireWithQuery(acquireCommand("{}"), { argv: ["cat"], stdin: "x", become: true })).toThrow(/stdin/);
  });
});

describe("withHostLocks with a query", () => {
  it("runs the query in the acquire exec, under the lock: two execs per host in all", async () => {
    const hosts = localHosts(["a", "b"]);
    const queried = await withHostLocks(hosts, ["a", "b"], run(), async (s) => s.queried, opts());
    expect([...queried.keys()].sort()).toEqual(["a", "b"]);
    for (const host of ["a", "b"]) {
      expect(queried.get(host)!.code).toBe(0);
      expect(queried.get(host)!.stdout).toContain(`"pid":${process.pid}`);
      expect(queried.get(host)!.stdout).toContain("odd x y\n");
    }
    expect([hosts.commands.get("a"), hosts.commands.get("b")]).toEqual([2, 2]);
  });

  it("a refused run never runs the query where the gate was held, and keeps nothing it read", async () => {
    const hosts = localHosts(["a", "b", "c"]);
    foreignLock(hosts, "a", 1);
    await expect(withHostLocks(hosts, ["a", "b", "c"], run(), async () => "ran", opts())).rejects.toThrow(LockHeld);
    for (const host of ["a", "b", "c"]) expect(existsSync(join(hosts.dirOf(host), "queried"))).toBe(false);
    // gate free but c held: a and b were taken (and read) in the attempt, then let go; no run
    const again = localHosts(["a", "b", "c"]);
    foreignLock(again, "c", 1);
    await expect(withHostLocks(again, ["a", "b", "c"], run(), async () => "ran", opts())).rejects.toThrow(LockHeld);
    expect(existsSync(join(again.dirOf("c"), "queried"))).toBe(false);
    for (const host of ["a", "b"]) expect(existsSync(join(again.dirOf(host), "lock"))).toBe(false);
  });

  it("a host taken over as stale has no query result (the caller reads it anew)", async () => {
    const hosts = localHosts(["a", "b"]);
    foreignLock(hosts, "b", 400);
    const queried = await withHostLocks(hosts, ["a", "b"], run(), async (s) => s.queried, opts({ notify: () => undefined }));
    expect([...queried.keys()]).toEqual(["a"]);
  });
});
