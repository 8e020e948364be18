/**
 * The plan is the program: a deploy of the shipped roles onto three fresh (fake) hosts sends each
 * host exactly the commands and uploads that the plan's `run` lists, in that order, and the JSON
 * plan shows every secret as <redacted>, even one with quotes and backslashes.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applyPlan } from "../../../src/apply/executor.js";
import { makePlan } from "../../../src/apply/planner.js";
import { prepare } from "../../../src/apply/prepare.js";
import type { Progress } from "../../../src/apply/progress.js";
import { commonOptions } from "../../../src/cli/common.js";
import type { TransportPool } from "../../../src/exec/pool.js";
import { limiter } from "../../../src/limit.js";
import { planJson, runItemsByHost } from "../../../src/plan/json.js";
import { REPO_ROOT } from "../../helpers/cli.js";
import { kollaLayout } from "../../helpers/deploy-env.js";
import { FakeHosts } from "../../helpers/fake-hosts.js";

const quiet: Progress = { step: () => {}, done: () => {}, failed: () => {}, note: () => {} };
const ADDRESSES = { node1: "198.18.0.11", node2: "198.18.0.12", node3: "198.18.0.13" };
/** A secret that JSON must escape: redacting the JSON text would miss it. */
const TRICKY = 'db"pa\\ss';

function passwordsYaml(): string {
  const shipped = readFileSync(join(REPO_ROOT, "etc", "kolla", "passwords.yml"), "utf8");
  return shipped
    .split("\n")
    .map((line) => {
      const key = /^([a-z0-9_]+):\s*$/.exec(line)?.[1];
      if (key === undefined) return line.replace(/^(\s+(private|public)_key):\s*$/, "$1: not-a-real-key");
      if (key === "database_password") return `${key}: ${JSON.stringify(TRICKY)}`;
      return /ssh_key$|^ceph|uuid$/.test(key) ? line : `${key}: pw-${key}-s3cret`;
    })
    .join("\n");
}

function workspace(): { inventory: string; configdir: string } {
  const dir = mkdtempSync(join(tmpdir(), "kd-plan-apply-"));
  const configdir = join(dir, "etc");
  mkdirSync(join(configdir, "config"), { recursive: true });
  writeFileSync(join(configdir, "globals.yml"), 'kolla_internal_vip_address: "198.18.0.250"\nnetwork_interface: "eth0"\nneutron_external_interface: "eth1"\ndocker_registry: "198.18.0.1:5000"\n');
  writeFileSync(join(configdir, "passwords.yml"), passwordsYaml());
  const hosts = Object.entries(ADDRESSES).map(([h, a]) => `${h} ansible_host=${a}`).join("\n");
  const inventory = join(dir, "inventory");
  writeFileSync(inventory, `[control]\n${hosts}\n[network]\n${hosts}\n[compute]\nnode2\nnode3\n[storage]\nnode1\n[monitoring]\nnode1\n[deployment]\nlocalhost ansible_connection=local\n${kollaLayout()}`);
  return { inventory, configdir };
}

describe("plan equals apply", async () => {
  const ws = workspace();
  const p = prepare(commonOptions({ inventory: [ws.inventory], configdir: ws.configdir }));
  const hosts = new FakeHosts(ADDRESSES);
  const pool = hosts as unknown as TransportPool;
  const result = await makePlan(p, pool, "deploy", limiter(10));
  hosts.clear();
  const outcomes = await applyPlan({ plan: result.plan, pool: hosts, forks: limiter(10), progress: quiet, secrets: p.secrets, sleep: async () => {} });

  it("plans every host of a fresh deploy, with bootstrap steps, and applies it without a failure", () => {
    expect([...result.failed.keys()]).toEqual([]);
    expect(result.plan.hosts.map((h) => h.host).sort()).toEqual(["node1", "node2", "node3"]);
    expect(result.plan.hosts.flatMap((h) => h.bootstrap).length).toBeGreaterThan(0);
    expect(outcomes.map((o) => o.status)).toEqual(["changed", "changed", "changed"]);
  });

  it("sends each host exactly the plan's commands and uploads, in the plan's order", () => {
    const planned = runItemsByHost(result.plan);
    for (const [host, items] of planned) {
      const t = hosts.get(host);
      const wantedArgv = items.flatMap((i) => (i.commands ?? []).map((c) => c.argv));
      expect(t.commands.map((c) => c.argv), host).toEqual(wantedArgv);
      const wantedUploads = items.filter((i) => i.uploads !== undefined || i.record !== undefined).map((i) => i.uploads?.map((u) => u.path) ?? [i.record!]);
      expect(t.uploads.map((u) => u.map((f) => f.path)), host).toEqual(wantedUploads);
      expect(t.stats.execs, host).toBe(wantedArgv.length + wantedUploads.length);
    }
  });

  it("sends stdin and the secrets to redact with each command as planned", () => {
    const dbStep = result.plan.hosts.flatMap((h) => h.bootstrap).find((s) => s.step.endsWith(":database"))!;
    const sent = [...hosts.transports.values()].flatMap((t) => t.commands).find((c) => c.stdin === dbStep.commands[0]!.command.stdin)!;
    expect(sent.stdin).toContain(`${TRICKY}\n`);
    expect(sent.secrets).toContain(TRICKY);
    expect(sent.argv.join(" ")).not.toContain(TRICKY);
  });

  it("shows no secret in the JSON plan, only <redacted>, escaped forms included", () => {
    const text = JSON.stringify(planJson(result.plan, p.secrets));
    expect(text).toContain("<redacted>");
    for (const secret of p.secrets) {
      expect(text.includes(secret), secret).toBe(false);
      expect(text.includes(JSON.stringify(secret).slice(1, -1)), secret).toBe(false);
    }
  });
});

describe("redactDeep", async () => {
  const { redactDeep } = await import("../../../src/plan/json.js");
  const { DeployError } = await import("../../../src/errors.js");

  it("copies an object shared by two branches into both, and cuts only a real cycle", () => {
    const shared = { a: "x" };
    const loop: Record<string, unknown> = { name: "loop" };
    loop["self"] = loop;
    expect(redactDeep({ one: shared, two: shared, loop }, [])).toEqual({ one: { a: "x" }, two: { a: "x" }, loop: { name: "loop", self: "[cycle]" } });
  });

  it("turns an error into its code and redacted one-line message, and a Set into an array", () => {
    const error = new DeployError("E_X", "password hunter2 refused", "fix it");
    expect(redactDeep({ error, applied: new Set(["a"]) }, ["hunter2"])).toEqual({
      error: { code: "E_X", message: "password <redacted> refused [E_X] (hint: fix it)" },
      applied: ["a"],
    });
  });
});
