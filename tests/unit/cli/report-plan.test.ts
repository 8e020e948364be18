/** `--check` as text: reasons per change, and with -v every command apply will run, secrets redacted. */
import { describe, expect, it } from "vitest";
import { formatPlan } from "../../../src/cli/report.js";
import { dockerDriver } from "../../../src/engine/driver.js";
import { databaseCommand } from "../../../src/plan/steps/database.js";
import { container, hostPlan, plan } from "../apply/plan-builders.js";

const SECRET = "s3cr'et";

function dbPlan() {
  const command = databaseCommand({ database: "nova", user: "nova", password: SECRET }, { address: "vip", port: "3306", rootUser: "root", rootPassword: "rootpw" }, dockerDriver);
  const step = { role: "nova", step: "nova:0:database", description: "create database nova", reason: "never run on this host", phase: "bootstrap" as const, runOnce: true, image: "i", commands: [command] };
  return plan(["nova"], [hostPlan("n1", [container("nova", "nova_api")], [step], 1)]);
}

describe("formatPlan", () => {
  it("lists changes with their reasons, and no commands without -v", () => {
    const text = formatPlan(dbPlan(), new Map(), [SECRET, "rootpw"]);
    expect(text).toContain("▸ nova: create database nova (never run on this host)");
    expect(text).toContain("+ create container nova_api (container missing)");
    expect(text).not.toContain("$ docker");
  });

  it("with -v, lists every command in apply's order, with secrets redacted", () => {
    const text = formatPlan(dbPlan(), new Map(), [SECRET, "rootpw"], true);
    const runs = text.slice(text.indexOf("  runs:"));
    expect(runs.split("\n").filter((l) => l.startsWith("    [")).map((l) => l.trim())).toEqual([
      "[config files] write 1 config file(s)",
      "[nova bootstrap] nova: create database nova",
      "[nova containers] create nova_api (container missing)",
      "[host records] record state",
    ]);
    expect(runs).toContain("$ docker exec -i kolla_toolbox sh -c");
    expect(runs).toContain("<<< 5 line(s) on stdin");
    expect(runs).toContain("$ docker run --detach --name nova_api");
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain("rootpw");
  });
});
