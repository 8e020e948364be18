import { describe, expect, it } from "vitest";
import { historyEntry, historyLine, MAX_LINE, mergeHistories, parseHistory, summarizeChanges } from "../../../src/lock/history.js";
import type { HistoryEntry, LockHolder } from "../../../src/lock/types.js";
import { noChanges } from "../../../src/lock/types.js";

const holder: LockHolder = { v: 1, token: "run1", user: "alice", host: "deploy1", pid: 7, since: "2024-05-01T12:00:00.000Z", verb: "deploy", command: ["kolla-deploy", "deploy"] };

describe("history lines", () => {
  const entry = historyEntry(holder, { host: "n1", result: "failed", error: "E_STEP", changes: { ...noChanges(), files: ["/etc/kolla/pw-hunter2"] } }, Date.parse("2024-05-01T12:00:03.500Z"));

  it("carry time, verb, who, from where, result with code, duration and changes", () => {
    expect(entry).toEqual({
      v: 1, at: "2024-05-01T12:00:00.000Z", host: "n1", verb: "deploy", user: "alice", from: "deploy1", pid: 7, run: "run1",
      command: ["kolla-deploy", "deploy"], result: "failed", error: "E_STEP", durationMs: 3500, changes: { ...noChanges(), files: ["/etc/kolla/pw-hunter2"] },
    });
  });

  it("are one line, secrets redacted", () => {
    const line = historyLine(entry, ["hunter2"]);
    expect(line.endsWith("\n")).toBe(true);
    expect(line.slice(0, -1)).not.toContain("\n");
    expect(line).not.toContain("hunter2");
  });

  it("are cut to stay small, and say so", () => {
    const many = { ...noChanges(), files: Array.from({ length: 5000 }, (_v, i) => `/etc/kolla/service-${i}/some-config-file.conf`) };
    const line = historyLine(historyEntry(holder, { host: "n1", result: "ok", changes: many }, Date.now()), []);
    expect(line.length).toBeLessThanOrEqual(MAX_LINE + 1);
    const parsed = JSON.parse(line) as HistoryEntry;
    expect(parsed.truncated).toBe(true);
    expect(parsed.changes.files).toHaveLength(20);
  });
});

describe("reading histories", () => {
  const at = (host: string, time: string, verb = "deploy"): HistoryEntry => ({ ...historyEntry({ ...holder, since: time, verb }, { host, result: "ok", changes: noChanges() }, Date.parse(time)) });

  it("skips and counts unreadable lines, and trusts the host it read from", () => {
    const good = JSON.stringify(at("other", "2024-01-01T00:00:00Z"));
    const { entries, unreadable } = parseHistory("n1", [good, '{"torn":', '{"v":2}']);
    expect(unreadable).toBe(2);
    expect(entries.map((e) => e.host)).toEqual(["n1"]);
  });

  it("merges hosts oldest first and keeps the last N", () => {
    const n1 = [at("n1", "2024-01-01T00:00:00Z"), at("n1", "2024-01-03T00:00:00Z", "reconfigure")];
    const n2 = [at("n2", "2024-01-01T00:00:00Z"), at("n2", "2024-01-02T00:00:00Z", "genconfig")];
    expect(mergeHistories([n1, n2], 0).map((e) => `${e.host} ${e.verb}`)).toEqual(["n1 deploy", "n2 deploy", "n2 genconfig", "n1 reconfigure"]);
    expect(mergeHistories([n1, n2], 2).map((e) => e.verb)).toEqual(["genconfig", "reconfigure"]);
  });

  it("summarises changes with names, cutting long lists", () => {
    expect(summarizeChanges(noChanges())).toBe("no changes");
    expect(summarizeChanges({ files: ["a", "b"], created: ["c1"], recreated: [], restarted: ["r1", "r2", "r3", "r4", "r5", "r6"], steps: ["s"] })).toBe(
      "2 file(s), created c1, restarted r1 r2 r3 r4 +2 more, 1 step(s)",
    );
  });
});
