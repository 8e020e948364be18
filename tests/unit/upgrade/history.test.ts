/** What the per-host run history records for an upgrade or rollback. */
import { describe, expect, it } from "vitest";
import { DeployError } from "../../../src/errors.js";
import { hostHistories } from "../../../src/upgrade/history.js";
import type { RunReport } from "../../../src/upgrade/types.js";

describe("run history of an upgrade", () => {
  it("merges each host's roles: files, containers by action (only those started), steps; failed wins", () => {
    const report: RunReport = {
      verb: "upgrade",
      roles: [{ role: "keystone", batches: [["n1"], ["n2"]], steps: [{ host: "n1", description: "run bootstrap_keystone (KOLLA_UPGRADE)" }] }],
      hosts: [
        { host: "n1", role: "common", status: "upgraded", batch: 1, ms: 1, files: ["/etc/kolla/cron/config.json"],
          containers: [{ container: "cron", action: "restart", from: "a", to: "a", startedAt: "t" }] },
        { host: "n1", role: "keystone", status: "failed", batch: 1, ms: 1, files: [], error: new DeployError("E_ENGINE_HEALTH", "x", ""),
          containers: [
            { container: "keystone", action: "recreate", from: "a", to: "b", startedAt: "t" },
            { container: "keystone_ssh", action: "recreate", from: "a", to: "b" },
          ] },
        { host: "n2", role: "keystone", status: "not reached", batch: 2, ms: 0, files: [], containers: [] },
      ],
      failedBeforeChange: new Map([["n3", new DeployError("E_HOST_UNREACHABLE", "refused", "")]]),
      ms: 5,
    };
    const h = hostHistories(report);
    expect(h.get("n1")).toEqual({
      result: "failed", error: "E_ENGINE_HEALTH",
      changes: { files: ["/etc/kolla/cron/config.json"], created: [], recreated: ["keystone"], restarted: ["cron"], steps: ["keystone: run bootstrap_keystone (KOLLA_UPGRADE)"] },
    });
    expect(h.get("n2")).toEqual({ result: "ok", changes: { files: [], created: [], recreated: [], restarted: [], steps: [] } });
    expect(h.get("n3")).toMatchObject({ result: "failed", error: "E_HOST_UNREACHABLE" });
  });
});
