/** The summary table and the JSON document of an upgrade or rollback. */
import { describe, expect, it } from "vitest";
import { DeployError } from "../../../src/errors.js";
import { formatRunSummary, runReportJson } from "../../../src/upgrade/report.js";
import type { RunReport } from "../../../src/upgrade/types.js";

function report(): RunReport {
  return {
    verb: "upgrade",
    tag: "t2",
    roles: [{ role: "keystone", batches: [["n1"], ["n2"]], steps: [{ host: "n1", description: "run bootstrap_keystone (KOLLA_UPGRADE)" }], stopped: "keystone: stopped after batch 1/2: 1 of 2 host(s) failed" }],
    hosts: [
      { host: "n1", role: "keystone", status: "failed", batch: 1, ms: 5, files: ["/etc/kolla/keystone/keystone.conf"], error: new DeployError("E_ENGINE_HEALTH", "container keystone not healthy; said s3cr3t-pw", "see docker inspect keystone"),
        containers: [{ container: "keystone", action: "recreate", from: "r:5000/kolla/keystone:testbed", to: "r:5000/kolla/keystone:t2", startedAt: "a" }] },
      { host: "n2", role: "keystone", status: "not reached", batch: 2, ms: 0, containers: [], files: [] },
    ],
    failedBeforeChange: new Map(),
    stopped: "keystone: stopped after batch 1/2: 1 of 2 host(s) failed",
    ms: 1234,
  };
}

describe("upgrade report", () => {
  it("prints one row per host with batch, result and tag change; secrets redacted", () => {
    const text = formatRunSummary(report(), ["s3cr3t-pw"]);
    expect(text).toMatch(/^host\s+role\s+batch\s+result\s+containers\s+images\s+error$/m);
    expect(text).toMatch(/^n1\s+keystone\s+1\s+failed\s+1\s+testbed → t2\s+container keystone not healthy/m);
    expect(text).toMatch(/^n2\s+keystone\s+2\s+not reached\s+0$/m);
    expect(text).toContain("0 upgraded, 1 failed, 1 not reached in 1.2s");
    expect(text).toContain("stopped: keystone: stopped after batch 1/2");
    expect(text).toContain("keystone step on n1: run bootstrap_keystone (KOLLA_UPGRADE)");
    expect(text).not.toContain("s3cr3t-pw");
  });

  it("says so when there was nothing to do", () => {
    const empty: RunReport = { verb: "rollback", roles: [], hosts: [], failedBeforeChange: new Map(), ms: 10 };
    expect(formatRunSummary(empty, [])).toContain("nothing to roll back");
  });

  it("JSON carries every host with its error code and the batches", () => {
    const doc = JSON.parse(runReportJson(report(), ["s3cr3t-pw"])) as Record<string, unknown>;
    expect(doc).toMatchObject({ verb: "upgrade", tag: "t2", ok: false, roles: [{ role: "keystone", batches: [["n1"], ["n2"]] }] });
    const hosts = doc.hosts as { host: string; error?: { code: string; message: string } }[];
    expect(hosts[0]!.error!.code).toBe("E_ENGINE_HEALTH");
    expect(hosts[0]!.error!.message).not.toContain("s3cr3t-pw");
  });
});
