import { describe, expect, it } from "vitest";
import { bootstrapJson, formatBootstrapPlan, formatBootstrapSummary } from "../../../src/bootstrap/format.js";
import type { BootstrapPlanResult } from "../../../src/bootstrap/run.js";
import type { HostBootstrapPlan } from "../../../src/bootstrap/types.js";
import { DeployError } from "../../../src/errors.js";

const SECRET = "ssh-rsa AAAAsecretkey";

const plan = (host: string, changes: HostBootstrapPlan["changes"]): HostBootstrapPlan => ({
  host, changes, uploads: [], removals: [], install: undefined, account: undefined, configDir: undefined,
  engine: { name: "docker", work: "none", enable: false, systemd: false },
});

const RESULT: BootstrapPlanResult = {
  plans: [
    plan("node1", []),
    plan("node3", [
      { kind: "package", action: "install", target: "docker.io", reason: "docker, dockerd not found" },
      { kind: "file", action: "update", target: "/etc/hosts", reason: "content differs", diff: `--- a\n+++ b\n+10.0.0.13 node3 ${SECRET}\n` },
      { kind: "engine", action: "start", target: "docker", reason: "just installed" },
    ]),
  ],
  failed: new Map([["node2", new DeployError("E_HOST_UNREACHABLE", "connection refused", "check sshd", { host: "node2" })]]),
  warnings: ["node2 did not answer"],
};

describe("bootstrap output", () => {
  it("the plan lists each host's changes with diffs, failures and a tally, secrets redacted", () => {
    const text = formatBootstrapPlan(RESULT, [SECRET]);
    expect(text).toContain("warning: node2 did not answer\nnode1: no changes\nnode3:\n  + install package docker.io (docker, dockerd not found)\n  ~ update file /etc/hosts (content differs)\n");
    expect(text).toContain("  ▶ start docker (just installed)\n");
    expect(text).toContain("node2: FAILED: host node2: connection refused [E_HOST_UNREACHABLE]");
    expect(text).toContain("plan: 1 of 3 host(s) to change, 1 failed\n");
    expect(text).not.toContain("AAAAsecretkey");
  });

  it("the summary says per host what changed", () => {
    const text = formatBootstrapSummary(
      [
        { host: "node1", status: "unchanged", changes: [], ms: 0 },
        { host: "node3", status: "changed", changes: RESULT.plans[1]!.changes, ms: 30_000 },
      ],
      RESULT.failed,
      31_000,
      [SECRET],
    );
    expect(text.split("\n")).toEqual([
      "host   result     changes",
      "node1  unchanged  nothing to change",
      "node3  changed    install docker.io; update /etc/hosts; start docker",
      "node2  failed     host node2: connection refused [E_HOST_UNREACHABLE] (hint: check sshd)",
      "1 changed, 1 unchanged, 1 failed in 31.0s",
      "",
    ]);
  });

  it("--json carries plans, outcomes and failures, redacted", () => {
    const doc = JSON.parse(bootstrapJson(RESULT, undefined, [SECRET])) as { plan: { host: string }[]; failed: Record<string, { code: string }> };
    expect(doc.plan.map((p) => p.host)).toEqual(["node1", "node3"]);
    expect(doc.failed["node2"]?.code).toBe("E_HOST_UNREACHABLE");
    expect(bootstrapJson(RESULT, undefined, [SECRET])).not.toContain("AAAAsecretkey");
  });
});
