/** hostChanges: what a deploy changed on a host, for its history line (moved here from lock/history). */
import { describe, expect, it } from "vitest";
import type { HostOutcome } from "../../../src/apply/executor.js";
import { hostChanges } from "../../../src/cli/host-changes.js";
import { noChanges } from "../../../src/lock/types.js";
import type { Plan } from "../../../src/plan/types.js";

function container(name: string, action: string) {
  return { role: "r", service: name, container: name, action, reasons: [], spec: {}, configHash: "h", fileHashes: {} };
}

function step(id: string, description: string) {
  return { role: "keystone", step: id, description, reason: "", phase: "bootstrap", runOnce: true, image: "i", commands: [] };
}

/** Only the fields hostChanges reads; the rest of a Plan does not matter here. */
const plan = {
  verb: "deploy",
  warnings: [],
  hosts: [
    {
      host: "n1",
      files: [{ path: "/etc/kolla/a.conf", action: "update", reasons: [] }, { path: "/etc/kolla/b.conf", action: "unchanged", reasons: [] }],
      containers: [container("created1", "create"), container("recreated1", "recreate"), container("restarted1", "restart"), container("failed1", "restart"), container("same", "none")],
      bootstrap: [step("r:0:exec", "create database keystone"), step("r:1:exec", "never ran")],
    },
  ],
} as unknown as Plan;

function outcome(over: Partial<HostOutcome>): HostOutcome {
  return { host: "n1", status: "changed", filesWritten: 1, containersChanged: 3, steps: 1, appliedContainers: new Set(["created1", "recreated1", "restarted1"]), appliedSteps: new Set(["r:0:exec"]), ms: 1, ...over };
}

describe("hostChanges", () => {
  it("names what was done: written files, containers by action, steps that succeeded", () => {
    expect(hostChanges(plan, outcome({}))).toEqual({
      files: ["/etc/kolla/a.conf"], created: ["created1"], recreated: ["recreated1"], restarted: ["restarted1"], steps: ["keystone: create database keystone"],
    });
  });

  it("files that were not written (the write failed) are not claimed", () => {
    expect(hostChanges(plan, outcome({ filesWritten: 0, appliedContainers: new Set(), appliedSteps: new Set() }))).toEqual(noChanges());
  });

  it("a host the plan does not have changed nothing", () => {
    expect(hostChanges(plan, outcome({ host: "elsewhere" }))).toEqual(noChanges());
  });
});
