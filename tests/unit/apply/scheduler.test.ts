/**
 * The apply scheduler, driven through fake transports: the exec budget per host, and the failure
 * policy (a failed run-once step fails its role everywhere; a failed host is skipped later while
 * the others finish; a failed record write fails its host). No test bed.
 */
import { describe, expect, it } from "vitest";
import { applyPlan, type HostOutcome } from "../../../src/apply/executor.js";
import type { Progress } from "../../../src/apply/progress.js";
import type { Command } from "../../../src/command.js";
import { FakeTransport, type FakeResponder } from "../../../src/exec/fake.js";
import type { FileUpload } from "../../../src/exec/types.js";
import { limiter } from "../../../src/limit.js";
import type { Plan } from "../../../src/plan/types.js";
import { container, hostPlan, plan, runOnceStep, spec } from "./plan-builders.js";

const quiet: Progress = { step: () => {}, done: () => {}, failed: () => {}, note: () => {} };

class Pool {
  readonly transports = new Map<string, FakeTransport>();
  constructor(private readonly respond: (host: string) => FakeResponder = () => () => ({ code: 0, stdout: "", stderr: "" }), private readonly failUpload?: (host: string, files: readonly FileUpload[]) => boolean) {}
  get(host: string): FakeTransport {
    let t = this.transports.get(host);
    if (t === undefined) {
      t = new FakeTransport(host, this.respond(host));
      const failUpload = this.failUpload;
      if (failUpload !== undefined) {
        const put = t.putFiles.bind(t);
        t.putFiles = async (files) => {
          if (failUpload(host, files)) throw new Error(`disk full writing ${files[0]?.path}`);
          return put(files);
        };
      }
      this.transports.set(host, t);
    }
    return t;
  }
  argvs(host: string): string[] {
    return (this.transports.get(host)?.commands ?? []).map((c: Command) => c.argv.join(" "));
  }
}

async function apply(p: Plan, pool: Pool): Promise<Map<string, HostOutcome>> {
  const outcomes = await applyPlan({ plan: p, pool, forks: limiter(10), progress: quiet, secrets: [], sleep: async () => {} });
  return new Map(outcomes.map((o) => [o.host, o]));
}

const failWhen = (test: (argv: string) => boolean): FakeResponder => (cmd) =>
  test(cmd.argv.join(" ")) ? { code: 1, stdout: "", stderr: "Error: it broke\n" } : { code: 0, stdout: "", stderr: "" };

describe("apply scheduler", () => {
  it("spends one exec per planned command, one upload for all files and one for the record, and none on a no-change host", async () => {
    const p = plan(["a", "b"], [
      hostPlan("n1", [container("a", "a1"), container("b", "b1", "recreate")], [], 3),
      hostPlan("n2", [container("a", "a1", "restart")]),
      hostPlan("n3", [container("a", "a1", "none")]),
    ]);
    const pool = new Pool();
    const outcomes = await apply(p, pool);
    // n1: 3 files in one upload; a1 create = run; b1 recreate = stop, rm, run; the record.
    expect(pool.get("n1").stats.execs).toBe(1 + 1 + 3 + 1);
    expect(pool.get("n1").uploads.map((u) => u.length)).toEqual([3, 1]);
    expect(pool.get("n2").stats.execs).toBe(1 + 1);
    // n3 changes nothing, but its record does not know a1 yet: one record write, no command.
    expect(pool.get("n3").stats.execs).toBe(1);
    expect(pool.argvs("n3")).toEqual([]);
    expect(outcomes.get("n1")).toMatchObject({ status: "changed", filesWritten: 3, containersChanged: 2 });
    expect(outcomes.get("n3")).toMatchObject({ status: "unchanged", containersChanged: 0 });
  });

  it("runs a host's work in plan order: files, then per role steps and containers, then the record", async () => {
    const p = plan(["a", "b"], [hostPlan("n1", [container("b", "b1"), container("a", "a1")], [runOnceStep("b", 0, ["init"])], 1)]);
    const pool = new Pool();
    await apply(p, pool);
    expect(pool.argvs("n1").map((a) => a.split(" ").slice(0, 3).join(" "))).toEqual(["docker run --detach", "docker exec b", "docker run --detach"]);
    expect(pool.argvs("n1")[0]).toContain("a1");
    expect(pool.argvs("n1")[2]).toContain("b1");
  });

  it("a failing run-once step fails its role on every host, and those hosts do nothing more", async () => {
    const hosts = ["n1", "n2", "n3"].map((h, i) => hostPlan(h, [container("db", "db"), container("web", "web")], i === 0 ? [runOnceStep("db", 0, ["bootstrap-db"])] : []));
    const pool = new Pool((host) => (host === "n1" ? failWhen((a) => a.includes("bootstrap-db")) : failWhen(() => false)));
    const outcomes = await apply(plan(["db", "web"], hosts), pool);
    for (const h of ["n1", "n2", "n3"]) {
      expect(outcomes.get(h)!.status).toBe("failed");
      expect(pool.argvs(h).filter((a) => a.startsWith("docker run"))).toEqual([]);
    }
    expect(outcomes.get("n1")!.error!.oneLine()).toContain("exec bootstrap-db in db failed (exit 1): Error: it broke");
    expect(outcomes.get("n2")!.error!.code).toBe("E_BOOTSTRAP");
    expect(outcomes.get("n2")!.error!.oneLine()).toContain("db bootstrap failed on n1");
  });

  it("a host that fails is skipped in later phases while the others finish", async () => {
    const hosts = ["n1", "n2", "n3"].map((h) => hostPlan(h, [container("a", "a1"), container("b", "b1")]));
    const pool = new Pool((host) => (host === "n2" ? failWhen((a) => a.includes(" a1 ")) : failWhen(() => false)));
    const outcomes = await apply(plan(["a", "b"], hosts), pool);
    expect(outcomes.get("n2")).toMatchObject({ status: "failed", containersChanged: 0 });
    expect(outcomes.get("n2")!.error!.oneLine()).toContain("starting container a1 failed (exit 1): Error: it broke");
    expect(pool.argvs("n2").some((a) => a.includes(" b1 "))).toBe(false);
    for (const h of ["n1", "n3"]) expect(outcomes.get(h)).toMatchObject({ status: "changed", containersChanged: 2 });
    // The failed host's record still says what did succeed there: nothing, so it is not written.
    expect(pool.get("n2").uploads).toEqual([]);
  });

  it("a failed record write fails that host, and only that host", async () => {
    const hosts = ["n1", "n2"].map((h) => hostPlan(h, [container("a", "a1")]));
    const pool = new Pool(undefined, (host, files) => host === "n1" && files.some((f) => f.path.endsWith("state.json")));
    const outcomes = await apply(plan(["a"], hosts), pool);
    expect(outcomes.get("n1")!.status).toBe("failed");
    expect(outcomes.get("n1")!.error!.oneLine()).toContain("disk full writing /var/lib/kolla-deploy/state.json");
    expect(outcomes.get("n2")!.status).toBe("changed");
  });

  it("retries a pull with backoff, gives up at once on a missing tag, and always removes a one-shot container", async () => {
    const { pullCommand } = await import("../../../src/plan/steps/containers.js");
    const { dockerDriver } = await import("../../../src/engine/driver.js");
    const { runPlanned } = await import("../../../src/apply/run-commands.js");
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);
    let calls = 0;
    const flaky = async () => ({ code: ++calls < 3 ? 1 : 0, stdout: "", stderr: "net/http: TLS handshake timeout" });
    await runPlanned(flaky, [pullCommand(dockerDriver, "r/x:t", false)], sleep);
    expect([calls, waits]).toEqual([3, [2000, 4000]]);
    calls = 0;
    const missing = async () => ({ code: ++calls && 1, stdout: "", stderr: "manifest unknown" });
    await expect(runPlanned(missing, [pullCommand(dockerDriver, "r/x:t", false)], sleep)).rejects.toThrow(/pulling r\/x:t failed \(exit 1\): manifest unknown/);
    expect(calls).toBe(1);
    // A one-shot container: leftover removed, run, removed again even though the run failed.
    const ran: string[] = [];
    const oneShot = async (cmd: Command) => (ran.push(cmd.argv[1]!), { code: cmd.argv[1] === "run" ? 3 : 0, stdout: "", stderr: "" });
    const { stepCommands } = await import("../../../src/plan/steps/index.js");
    const step = { kind: "one_shot", service: "a1", containerName: "bootstrap_a1", mode: "bootstrap", environment: {} } as never;
    const commands = stepCommands(step, { render: (t) => t, vars: {}, driver: dockerDriver, spec: spec("a1"), where: "w" });
    await expect(runPlanned(oneShot, commands, sleep)).rejects.toThrow(/one-shot container bootstrap_a1 failed \(exit 3\)/);
    expect(ran).toEqual(["rm", "run", "rm"]);
  });
});
