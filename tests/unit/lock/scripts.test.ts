/** The lock and history shell scripts, run for real by sh on local directories. */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  acquireCommand, heartbeatCommand, historyCommand, parseAcquire, parseHeartbeat, parseHistoryLines, parseRelease, parseStatus,
  parseTakeover, releaseCommand, statusCommand, takeoverCommand,
} from "../../../src/lock/scripts.js";
import { DIR, localHosts } from "./local-hosts.js";

const line = (token: string) => JSON.stringify({ v: 1, token, user: "u", host: "h", pid: 1, since: "2024-01-01T00:00:00Z", verb: "deploy", command: ["kd"] });

describe("lock scripts", () => {
  it("acquire creates the lock with the holder, a second acquire reads the holder back", async () => {
    const hosts = localHosts(["a"]);
    const t = hosts.get("a");
    expect(parseAcquire(await t.run(acquireCommand(line("t1"), DIR)))).toEqual({ acquired: true });
    expect(readFileSync(join(hosts.dirOf("a"), "lock"), "utf8")).toBe(`${line("t1")}\n`);
    const second = parseAcquire(await t.run(acquireCommand(line("t2"), DIR)));
    expect(second.acquired).toBe(false);
    if (second.acquired || second.seen.state !== "held") throw new Error("expected held");
    expect(second.seen.holder?.token).toBe("t1");
    expect(second.seen.heartbeatAgeSec).toBeLessThan(5);
    // no temp files left behind
    expect(readdirSync(hosts.dirOf("a")).sort()).toEqual(["lock"]);
  });

  it("creates the state directory when it is missing", async () => {
    const hosts = localHosts(["a"]);
    execFileSync("rmdir", [hosts.dirOf("a")]);
    expect(parseAcquire(await hosts.get("a").run(acquireCommand(line("t1"), DIR))).acquired).toBe(true);
  });

  it("of many runs racing for one lock, exactly one wins", async () => {
    const hosts = localHosts(["a"]);
    const t = hosts.get("a");
    const results = await Promise.all(Array.from({ length: 16 }, (_v, i) => t.run(acquireCommand(line(`r${i}`), DIR)).then(parseAcquire)));
    expect(results.filter((r) => r.acquired)).toHaveLength(1);
  });

  it("release removes only the lock with our token and appends the history line first", async () => {
    const hosts = localHosts(["a"]);
    const t = hosts.get("a");
    await t.run(acquireCommand(line("mine"), DIR));
    expect(parseRelease(await t.run(releaseCommand("other", "", DIR)))).toBe("notours");
    expect(existsSync(join(hosts.dirOf("a"), "lock"))).toBe(true);
    expect(parseRelease(await t.run(releaseCommand("mine", '{"x":1}\n', DIR)))).toBe("released");
    expect(existsSync(join(hosts.dirOf("a"), "lock"))).toBe(false);
    expect(readFileSync(join(hosts.dirOf("a"), "history.jsonl"), "utf8")).toBe('{"x":1}\n');
    expect(parseStatus(await t.run(statusCommand(DIR)))).toEqual({ state: "free" });
  });

  it("token * releases an unreadable lock", async () => {
    const hosts = localHosts(["a"]);
    writeFileSync(join(hosts.dirOf("a"), "lock"), "not json\n");
    const seen = parseStatus(await hosts.get("a").run(statusCommand(DIR)));
    expect(seen).toMatchObject({ state: "held", holder: undefined, raw: "not json" });
    expect(parseRelease(await hosts.get("a").run(releaseCommand("*", "", DIR)))).toBe("released");
  });

  it("heartbeat touches only our own lock", async () => {
    const hosts = localHosts(["a"]);
    const t = hosts.get("a");
    const lock = join(hosts.dirOf("a"), "lock");
    await t.run(acquireCommand(line("mine"), DIR));
    utimesSync(lock, new Date(Date.now() - 600_000), new Date(Date.now() - 600_000));
    expect(parseHeartbeat(await t.run(heartbeatCommand("other", DIR)))).toBe("lost");
    expect(Date.now() - statSync(lock).mtimeMs).toBeGreaterThan(500_000);
    expect(parseHeartbeat(await t.run(heartbeatCommand("mine", DIR)))).toBe("ok");
    expect(Date.now() - statSync(lock).mtimeMs).toBeLessThan(5_000);
    const seen = parseStatus(await t.run(statusCommand(DIR)));
    expect(seen.state === "held" && seen.heartbeatAgeSec).toBeLessThan(5);
  });

  it("takeover replaces exactly the lock that was judged stale, once", async () => {
    const hosts = localHosts(["a"]);
    const t = hosts.get("a");
    const lock = join(hosts.dirOf("a"), "lock");
    await t.run(acquireCommand(line("old"), DIR));
    utimesSync(lock, new Date(1_000_000_000_000), new Date(1_000_000_000_000));
    const seen = parseStatus(await t.run(statusCommand(DIR)));
    if (seen.state !== "held") throw new Error("expected held");
    // judged with another mtime (the holder heartbeated since): not taken
    expect(parseTakeover(await t.run(takeoverCommand({ token: "old", mtime: seen.mtime + 1 }, line("new"), DIR)))).toBe("changed");
    const racing = await Promise.all(["n1", "n2", "n3"].map((tok) => t.run(takeoverCommand({ token: "old", mtime: seen.mtime }, line(tok), DIR)).then(parseTakeover)));
    expect(racing.filter((r) => r === "acquired")).toHaveLength(1);
    expect(readFileSync(lock, "utf8")).toContain('"token":"n');
    expect(readdirSync(hosts.dirOf("a")).sort()).toEqual(["lock"]);
  });

  it("concurrent history appends never interleave, even for long lines", async () => {
    const hosts = localHosts(["a"]);
    const t = hosts.get("a");
    // 100 kB: more than a pipe buffer, so stdin arrives in pieces; still one write to the file
    const lines = Array.from({ length: 24 }, (_v, i) => `${JSON.stringify({ i, pad: String(i % 10).repeat(100_000) })}\n`);
    await Promise.all(lines.map((l) => t.run(releaseCommand("", l, DIR))));
    const read = parseHistoryLines(await t.run(historyCommand(0, DIR)));
    expect(read).toHaveLength(24);
    expect(read.map((l) => (JSON.parse(l) as { i: number }).i).sort((a, b) => a - b)).toEqual(lines.map((_l, i) => i));
    expect(parseHistoryLines(await t.run(historyCommand(2, DIR)))).toEqual(read.slice(-2));
  });

  it("history of a host that never ran anything is empty", async () => {
    const hosts = localHosts(["a"]);
    expect(parseHistoryLines(await hosts.get("a").run(historyCommand(10, DIR)))).toEqual([]);
  });
});
