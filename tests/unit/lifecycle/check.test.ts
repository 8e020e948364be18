/** check's verdicts from inspect states, and the one exec it makes per host (docker and podman). */
import { describe, expect, it } from "vitest";
import { dockerDriver, podmanDriver } from "../../../src/engine/driver.js";
import { parseContainerInspect } from "../../../src/engine/inspect.js";
import type { Command, CommandResult } from "../../../src/exec/types.js";
import { assessContainer, inspectForCheck, lastLine } from "../../../src/lifecycle/check.js";
import { formatCheck } from "../../../src/cli/commands/check.js";
import { DeployError } from "../../../src/errors.js";

function inspectJson(name: string, status: string, exitCode = 0, health?: { status: string; log?: string[] }): Record<string, unknown> {
  const Health = health === undefined ? undefined : { Status: health.status, Log: (health.log ?? []).map((Output) => ({ Output })) };
  return { Name: `/${name}`, State: { Status: status, ExitCode: exitCode, ...(Health ? { Health } : {}) } };
}
const stateOf = (raw: Record<string, unknown>) => parseContainerInspect(JSON.stringify([raw]))[0]!;

describe("assessContainer", () => {
  it("says missing when the container does not exist", () => {
    expect(assessContainer("nova_api", "nova", undefined)).toMatchObject({ condition: "missing", ok: false, detail: "container does not exist" });
  });

  it("says not running with the engine status and exit code", () => {
    const c = assessContainer("memcached", "memcached", stateOf(inspectJson("memcached", "exited", 137)));
    expect(c).toMatchObject({ condition: "not running", ok: false, detail: "exited, exit code 137" });
  });

  it("says unhealthy with the last line of the last health probe", () => {
    const st = stateOf(inspectJson("rabbitmq", "running", 0, { status: "unhealthy", log: ["old", "curl: connection refused\nport 5672 closed\n"] }));
    expect(assessContainer("rabbitmq", "rabbitmq", st)).toMatchObject({ condition: "unhealthy", ok: false, detail: "last healthcheck said: port 5672 closed" });
  });

  it("accepts healthy, running without healthcheck, and starting (kolla fails only on unhealthy)", () => {
    expect(assessContainer("a", "r", stateOf(inspectJson("a", "running", 0, { status: "healthy" })))).toMatchObject({ condition: "healthy", ok: true });
    expect(assessContainer("a", "r", stateOf(inspectJson("a", "running")))).toMatchObject({ condition: "running", ok: true });
    expect(assessContainer("a", "r", stateOf(inspectJson("a", "running", 0, { status: "starting" })))).toMatchObject({ condition: "starting", ok: true });
  });

  it("lastLine() skips blank lines and shortens long ones", () => {
    expect(lastLine("a\nb\n\n  \n")).toBe("b");
    expect(lastLine(undefined)).toBe("");
    expect(lastLine("x".repeat(300), 10)).toBe(`${"x".repeat(9)}…`);
  });
});

describe("inspectForCheck", () => {
  const answer = (stdout: string, code = 0, stderr = ""): CommandResult => ({ code, stdout, stderr });

  it("docker: one inspect of every name; missing names are simply absent", async () => {
    const seen: Command[] = [];
    const run = async (cmd: Command) => {
      seen.push(cmd);
      return answer(JSON.stringify([inspectJson("a", "running")]), 1, "Error: No such container: b");
    };
    const states = await inspectForCheck(run, dockerDriver, ["a", "b"]);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.argv).toEqual(["docker", "container", "inspect", "a", "b"]);
    expect([...states.keys()]).toEqual(["a"]);
  });

  it("podman: runs the health probes and the inspect in ONE exec, and reads the inspect part", async () => {
    const seen: Command[] = [];
    const run = async (cmd: Command): Promise<CommandResult> => {
      seen.push(cmd);
      const script = cmd.argv[2]!;
      const marker = /(__kolla_deploy_[0-9a-f]+__)/.exec(script)![1]!;
      const part = (i: number, out: string, rc: number) => `${marker} begin ${i}\n${out}\n${marker} end ${i} ${rc}\n`;
      const inspect = JSON.stringify([inspectJson("a", "running", 0, { status: "unhealthy", log: ["down"] })]);
      return { code: 0, stdout: part(0, "unhealthy", 1) + part(1, "", 125) + part(2, inspect, 125), stderr: part(2, "Error: no such container b", 125) };
    };
    const states = await inspectForCheck(run, podmanDriver, ["a", "b"]);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.argv.slice(0, 2)).toEqual(["sh", "-c"]);
    expect(seen[0]!.argv[2]).toContain("podman healthcheck run a");
    expect(states.get("a")?.health).toBe("unhealthy");
    expect(states.has("b")).toBe(false);
  });

  it("an engine that does not answer is an error, not 'everything missing'", async () => {
    const run = async () => answer("", 1, "Cannot connect to the Docker daemon at unix:///var/run/docker.sock");
    await expect(inspectForCheck(run, dockerDriver, ["a"])).rejects.toBeInstanceOf(DeployError);
  });
});

describe("formatCheck", () => {
  it("one row per host and container, wrong states in capitals, unreachable hosts as FAILED, and a tally", () => {
    const text = formatCheck(
      [
        { host: "node1", value: [assessContainer("memcached", "memcached", undefined)] },
        { host: "node2", error: new DeployError("E_HOST_UNREACHABLE", "SSH connection refused", "is sshd running?", { host: "node2" }) },
      ],
      "0.1s",
    );
    expect(text).toContain("node1  memcached  MISSING  container does not exist");
    expect(text).toMatch(/node2 +- +FAILED +host node2: SSH connection refused/);
    expect(text).toContain("check: 0 container(s) ok, 1 wrong on 2 host(s), 1 host(s) failed in 0.1s");
  });
});
