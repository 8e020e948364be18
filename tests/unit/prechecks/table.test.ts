/** The report as people and machines read it. */
import { describe, expect, it } from "vitest";
import { DeployError } from "../../../src/errors.js";
import { formatReport, reportJson } from "../../../src/prechecks/table.js";
import { HOST_CHECKS, type CheckOutcome, type PrecheckReport } from "../../../src/prechecks/types.js";

const ok = (check: CheckOutcome["check"], note = ""): CheckOutcome => ({ check, status: "ok", note, problems: [] });
const hostChecks = (over: CheckOutcome[] = []) =>
  HOST_CHECKS.map((c) => over.find((o) => o.check === c) ?? ok(c));

describe("formatReport", () => {
  it("prints the table, one line per problem, and the verdict", () => {
    const port = new DeployError("E_PRECHECK_PORT", "port 11211 (memcached_port of memcached) is already taken by nc (pid 1) listening on *:11211", "stop it", { host: "node1" });
    const report: PrecheckReport = {
      deployment: [ok("passwords"), ok("groups")],
      hosts: [
        { host: "node1", checks: hostChecks([{ check: "ports", status: "fail", note: "", problems: [port] }]) },
        { host: "node2", checks: hostChecks([{ check: "vip", status: "n/a", note: "", problems: [] }, { check: "compute", status: "n/a", note: "", problems: [] }]) },
        { host: "node3", unreachable: new DeployError("E_HOST_CONNECT", "connection refused", "start sshd", { host: "node3" }), checks: [] },
      ],
    };
    expect(formatReport(report)).toBe(
      [
        "host   sudo  engine  disk  interfaces  vip  ports  compute",
        "node1  ok    ok      ok    ok          ok   FAIL   ok",
        "node2  ok    ok      ok    ok          -    ok     -",
        "node3  UNREACHABLE",
        "deployment host: passwords ok, groups ok",
        "",
        "FAIL ports: host node1: port 11211 (memcached_port of memcached) is already taken by nc (pid 1) listening on *:11211 [E_PRECHECK_PORT] (hint: stop it)",
        "UNREACHABLE node3: host node3: connection refused [E_HOST_CONNECT] (hint: start sshd)",
        "",
        "prechecks FAILED: 1 problem(s) on 1 host(s), 1 unreachable",
        "",
      ].join("\n"),
    );
    expect(reportJson(report)).toMatchObject({
      passed: false,
      hosts: [{ host: "node1", checks: { ports: { status: "fail", problems: [{ code: "E_PRECHECK_PORT" }] } } }, { host: "node2" }, { host: "node3", unreachable: { code: "E_HOST_CONNECT" } }],
    });
  });

  it("says passed when everything passed", () => {
    const text = formatReport({ deployment: [ok("passwords"), ok("groups")], hosts: [{ host: "node1", checks: hostChecks() }] });
    expect(text.trimEnd().split("\n").at(-1)).toBe("prechecks passed on 1 host(s)");
  });
});
