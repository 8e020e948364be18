/** Usage errors of upgrade and rollback: found before any inventory is read or host touched. */
import { describe, expect, it } from "vitest";
import { runCli } from "../../helpers/cli.js";

const noHosts = ["-i", "/nonexistent/inventory", "--configdir", "/nonexistent/etc-kolla"];
// Each case starts the CLI from source (a few seconds on a busy machine).
const slow = { timeout: 60_000 };

describe("upgrade and rollback usage", () => {
  it("an unknown --service is a usage error naming the known ones", slow, () => {
    const r = runCli(["upgrade", ...noHosts, "--service", "keystoen", "--tag", "t2"]);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/^error: --service: unknown service "keystoen" \[E_USAGE\] \(hint: .*keystone/m);
  });

  it("a bad --serial is a usage error", slow, () => {
    const r = runCli(["upgrade", ...noHosts, "--service", "keystone", "--serial", "0"]);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain("--serial: expected a host count or a percentage");
  });

  it("--service and --tags together are refused", slow, () => {
    const r = runCli(["rollback", ...noHosts, "--service", "keystone", "--tags", "glance"]);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain("--service and --tags both select roles");
  });
});
