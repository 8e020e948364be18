/** The host record after an apply: what is recorded, what is kept, and no rewrite when nothing changed. */
import PQueue from "p-queue";
import { describe, expect, it } from "vitest";
import type { ApplyEnv, HostOutcome } from "../../../src/apply/executor.js";
import type { Progress } from "../../../src/apply/progress.js";
import { nextRecord, recordUpdate } from "../../../src/apply/record-update.js";
import { FakeTransport } from "../../../src/exec/fake.js";
import type { TransportPool } from "../../../src/exec/pool.js";
import type { PlannedStep } from "../../../src/plan/bootstrap.js";
import { emptyRecord, parseHostRecord, STATE_FILE, type HostRecord } from "../../../src/plan/record.js";
import type { ContainerAction, ContainerChange } from "../../../src/plan/types.js";
import { fxService, hostState, recordFor } from "../plan/fixtures.js";

const OLD = "2026-01-01T00:00:00.000Z";
const newConf = { "fx.conf": "[DEFAULT]\ndebug = True\n", "config.json": "{}\n" };

function change(action: ContainerAction, files?: Record<string, string>): ContainerChange {
  const svc = fxService(files === undefined ? {} : { files });
  return { role: "fx", service: "fx", container: "fx_full", action, reasons: [], spec: svc.spec, configHash: svc.configHash, fileHashes: svc.fileHashes };
}

function outcome(applied: string[] = [], steps: string[] = []): HostOutcome {
  return { host: "node1", status: "changed", filesWritten: 0, containersChanged: 0, steps: 0, appliedContainers: new Set(applied), appliedSteps: new Set(steps), ms: 0 };
}

function step(id: string): PlannedStep {
  return { id, host: "node1", image: "reg/kolla/fx:2", phase: "bootstrap" } as PlannedStep;
}

function env(opts: { record: HostRecord; changes: ContainerChange[]; outcome: HostOutcome; steps?: PlannedStep[]; transport?: FakeTransport }): ApplyEnv {
  const transport = opts.transport ?? new FakeTransport("node1");
  return {
    p: {} as ApplyEnv["p"],
    pool: { get: () => transport } as unknown as TransportPool,
    result: {
      plan: { verb: "deploy", warnings: [], hosts: [{ host: "node1", files: [], containers: opts.changes, bootstrap: [] }] },
      states: new Map([["node1", hostState({ record: opts.record })]]),
      steps: opts.steps ?? [],
    } as unknown as ApplyEnv["result"],
    forks: new PQueue({ concurrency: 1 }),
    progress: { failed: () => undefined } as unknown as Progress,
    outcomes: new Map([["node1", opts.outcome]]),
  };
}

const recorded = (svc = fxService()): HostRecord => ({ ...emptyRecord(), containers: { fx_full: recordFor(svc, OLD) } });

describe("nextRecord", () => {
  it("is undefined (no rewrite) when every container is unchanged and already recorded", () => {
    expect(nextRecord(env({ record: recorded(), changes: [change("none")], outcome: outcome() }), "node1")).toBeUndefined();
  });

  it("records an adopted container (running, no record) with the config it runs with", () => {
    const next = nextRecord(env({ record: emptyRecord(), changes: [change("none")], outcome: outcome() }), "node1")!;
    expect(next.containers["fx_full"]).toMatchObject({ image: fxService().spec.image, configHash: fxService().configHash });
  });

  it("records the new config of a container whose restart completed", () => {
    const next = nextRecord(env({ record: recorded(), changes: [change("restart", newConf)], outcome: outcome(["fx_full"]) }), "node1")!;
    expect(next.containers["fx_full"]!.configHash).toBe(fxService({ files: newConf }).configHash);
    expect(next.containers["fx_full"]!.updatedAt).not.toBe(OLD);
  });

  it("keeps the old entry of a container whose change did not complete, so the next run retries it", () => {
    const e = env({ record: recorded(), changes: [change("restart", newConf)], outcome: outcome([]) });
    expect(nextRecord(e, "node1")).toBeUndefined();
  });

  it("records bootstrap steps that succeeded, and only those", () => {
    const e = env({ record: recorded(), changes: [change("none")], outcome: outcome([], ["fx:0:exec"]), steps: [step("fx:0:exec"), step("fx:1:exec")] });
    const next = nextRecord(e, "node1")!;
    expect(Object.keys(next.bootstrap)).toEqual(["fx:0:exec"]);
    expect(next.bootstrap["fx:0:exec"]!.image).toBe("reg/kolla/fx:2");
    expect(next.containers).toEqual(recorded().containers);
  });
});

describe("recordUpdate", () => {
  it("writes nothing to a host where nothing changed", async () => {
    const transport = new FakeTransport("node1");
    await recordUpdate(env({ record: recorded(), changes: [change("none")], outcome: outcome(), transport }));
    expect(transport.uploads).toEqual([]);
    expect(transport.commands).toEqual([]);
  });

  it("writes state.json, root-only, with the new record", async () => {
    const transport = new FakeTransport("node1");
    await recordUpdate(env({ record: recorded(), changes: [change("restart", newConf)], outcome: outcome(["fx_full"]), transport }));
    expect(transport.uploads).toHaveLength(1);
    const [file] = transport.uploads[0]!;
    expect(file).toMatchObject({ path: STATE_FILE, mode: 0o600, owner: "root", group: "root" });
    const written = parseHostRecord(String(file!.content));
    expect(written.containers["fx_full"]!.configHash).toBe(fxService({ files: newConf }).configHash);
  });
});
