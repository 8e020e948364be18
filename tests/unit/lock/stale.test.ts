import { describe, expect, it } from "vitest";
import { judgeLock } from "../../../src/lock/stale.js";
import type { LockHolder, LockObservation } from "../../../src/lock/types.js";

const holder = (host: string): LockHolder => ({ v: 1, token: "t", user: "u", host, pid: 100, pidStart: "555", since: "2024-01-01T00:00:00Z", verb: "deploy", command: [] });
const held = (h: LockHolder | undefined, age: number): LockObservation => ({ state: "held", holder: h, raw: h ? "" : "garbage", mtime: 1000, heartbeatAgeSec: age });
const ctx = (alive: boolean) => ({ localHost: "here", staleAfterSec: 300, isAlive: () => alive });

describe("judgeLock", () => {
  it("a free lock is free", () => {
    expect(judgeLock({ state: "free" }, ctx(true))).toEqual({ kind: "free" });
  });

  it("a holder on this deployment host is stale exactly when its process is gone", () => {
    expect(judgeLock(held(holder("here"), 1), ctx(false))).toEqual({ kind: "stale", why: "its process 100 on here is gone" });
    // alive: never stale, however old the heartbeat (it may be stopped and resume)
    expect(judgeLock(held(holder("here"), 99999), ctx(true))).toEqual({ kind: "held" });
  });

  it("passes the recorded start time to the liveness check (a reused PID is not the holder)", () => {
    const seen: Array<[number, string | undefined]> = [];
    judgeLock(held(holder("here"), 1), { localHost: "here", staleAfterSec: 300, isAlive: (pid, start) => (seen.push([pid, start]), true) });
    expect(seen).toEqual([[100, "555"]]);
  });

  it("a holder elsewhere is stale only after staleAfterSec without heartbeat", () => {
    expect(judgeLock(held(holder("there"), 300), ctx(false))).toEqual({ kind: "held" });
    expect(judgeLock(held(holder("there"), 301), ctx(false))).toEqual({ kind: "stale", why: "no heartbeat for 5m01s (more than 5m00s)" });
  });

  it("an unreadable lock goes stale by age only", () => {
    expect(judgeLock(held(undefined, 10), ctx(false))).toEqual({ kind: "held" });
    expect(judgeLock(held(undefined, 1000), ctx(false)).kind).toBe("stale");
  });
});
