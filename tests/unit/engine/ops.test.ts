/** The engine operations' own logic (retries, parsing partial output, timeouts) with a scripted runner. */
import { describe, expect, it } from "vitest";
import { dockerDriver, driverFor, podmanDriver } from "../../../src/engine/driver.js";
import { inspectContainers, pullImage, runOneShot, waitUntilHealthy } from "../../../src/engine/ops.js";
import type { ContainerSpec } from "../../../src/engine/types.js";
import type { Command, CommandResult } from "../../../src/exec/types.js";
import { DeployError } from "../../../src/errors.js";

function scripted(results: CommandResult[]): { run: (cmd: Command) => Promise<CommandResult>; seen: string[][] } {
  const seen: string[][] = [];
  return {
    seen,
    run: async (cmd) => {
      seen.push([...cmd.argv]);
      const next = results.shift();
      if (next === undefined) throw new Error(`unexpected command ${cmd.argv.join(" ")}`);
      return next;
    },
  };
}
const ok = (stdout = ""): CommandResult => ({ code: 0, stdout, stderr: "" });
const fail = (stderr: string, code = 1): CommandResult => ({ code, stdout: "", stderr });
const state = (status: string, health?: string, log?: string): string =>
  JSON.stringify([{ Name: "/svc", State: { Status: status, ExitCode: 0, ...(health ? { Health: { Status: health, Log: log ? [{ Output: log }] : [] } } : {}) } }]);

describe("engine operations", () => {
  it("pullImage() retries with doubling backoff, then fails with the engine's message", async () => {
    const waits: number[] = [];
    const { run, seen } = scripted([fail("timeout"), fail("timeout"), fail("manifest unknown")]);
    const err = await pullImage(run, podmanDriver, "r:5000/x:1", { attempts: 3, backoffMs: 100, insecureRegistry: true, sleep: async (ms) => void waits.push(ms) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeployError);
    expect((err as DeployError).code).toBe("E_ENGINE_PULL");
    expect((err as DeployError).message).toContain("manifest unknown");
    expect(waits).toEqual([100, 200]);
    expect(seen[0]).toEqual(["podman", "pull", "--tls-verify=false", "r:5000/x:1"]);
  });

  it("pullImage() stops at the first success", async () => {
    const { run, seen } = scripted([fail("timeout"), ok()]);
    await pullImage(run, dockerDriver, "x", { sleep: async () => {} });
    expect(seen).toHaveLength(2);
  });

  it("inspectContainers() asks once for all names and keeps those that exist", async () => {
    const partial = { code: 1, stdout: state("running"), stderr: "Error: No such container: other" };
    const { run, seen } = scripted([partial]);
    const found = await inspectContainers(run, dockerDriver, ["svc", "other"]);
    expect([...found.keys()]).toEqual(["svc"]);
    expect(seen).toEqual([["docker", "container", "inspect", "svc", "other"]]);
  });

  it("inspectContainers() fails when the engine itself fails", async () => {
    const { run } = scripted([fail("Cannot connect to the Docker daemon at unix:///run/docker.sock")]);
    await expect(inspectContainers(run, dockerDriver, ["svc"])).rejects.toThrow(/Cannot connect/);
  });

  it("waitUntilHealthy() polls until healthy, probing first where the engine needs it", async () => {
    const { run, seen } = scripted([ok(), ok(state("running", "starting")), ok(), ok(state("running", "healthy"))]);
    const s = await waitUntilHealthy(run, podmanDriver, "svc", { timeoutMs: 10_000, sleep: async () => {} });
    expect(s.health).toBe("healthy");
    expect(seen.filter((a) => a[1] === "healthcheck")).toHaveLength(2);
  });

  it("waitUntilHealthy() times out with the last health log line", async () => {
    let t = 0;
    const { run } = scripted([ok(state("running", "starting")), ok(state("running", "starting", "curl: (7) refused\nmore"))]);
    const err = await waitUntilHealthy(run, dockerDriver, "svc", { timeoutMs: 1000, pollMs: 1000, now: () => t, sleep: async (ms) => void (t += ms) }).catch((e: unknown) => e);
    expect((err as DeployError).code).toBe("E_ENGINE_HEALTH");
    expect((err as DeployError).message).toBe("container svc not healthy after 1000 ms (starting); last check said: curl: (7) refused");
  });

  it("waitUntilHealthy() fails at once when the engine says unhealthy, quoting the last check", async () => {
    const { run, seen } = scripted([ok(state("running", "unhealthy", "curl: (7) refused\nmore"))]);
    const err = await waitUntilHealthy(run, dockerDriver, "svc", { timeoutMs: 60_000 }).catch((e: unknown) => e);
    expect((err as DeployError).message).toBe("container svc is unhealthy: curl: (7) refused");
    expect(seen).toHaveLength(1);
  });

  it("waitUntilHealthy() fails at once when the container exited", async () => {
    const { run } = scripted([ok(state("exited"))]);
    await expect(waitUntilHealthy(run, dockerDriver, "svc", { timeoutMs: 60_000 })).rejects.toThrow(/not running \(exited/);
  });

  it("runOneShot() removes the container before and after, and returns its exit code", async () => {
    const spec = { name: "bootstrap", image: "i", environment: {}, labels: {}, volumes: [], privileged: false, capAdd: [], securityOpt: [], tmpfs: [], dimensions: {}, restartPolicy: "no" } as ContainerSpec;
    const { run, seen } = scripted([fail("Error: No such container: bootstrap"), { code: 3, stdout: "out", stderr: "" }, ok()]);
    expect(await runOneShot(run, dockerDriver, spec)).toMatchObject({ code: 3, stdout: "out" });
    expect(seen.map((a) => a[1])).toEqual(["rm", "run", "rm"]);
  });

  it("driverFor() picks the engine and rejects anything else with a hint", () => {
    expect(driverFor("podman").name).toBe("podman");
    expect(() => driverFor("rkt")).toThrow(/unknown container engine "rkt"/);
  });
});
