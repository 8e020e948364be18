import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applyCommand, applyOperations } from "../../../src/bootstrap/script.js";
import type { HostBootstrapPlan } from "../../../src/bootstrap/types.js";

const KEY = "ssh-ed25519 AAAAC3Nz kolla";

const plan = (over: Partial<HostBootstrapPlan> = {}): HostBootstrapPlan => ({
  host: "node1",
  changes: [],
  uploads: [],
  removals: [],
  install: undefined,
  account: undefined,
  configDir: undefined,
  engine: { name: "docker", work: "none", enable: false, systemd: false },
  ...over,
});

/** Runs the apply script locally with the given operations (only harmless ones in these tests). */
function runLocally(ops: string[]) {
  // the script text is the same for every plan; take it from any plan that has work
  const [sh, dashC, script, name] = applyCommand(plan({ removals: ["/nonexistent"] }), [])!.argv;
  return spawnSync(sh!, [dashC!, script!, name!, ...ops], { encoding: "utf8" });
}

describe("the apply script", () => {
  it("orders the work: stale sources, install and check, accounts, directory, engine", () => {
    const ops = applyOperations(
      plan({
        removals: ["/etc/yum.repos.d/kolla-deploy.repo"],
        install: { manager: "apt", packages: ["docker.io"], binaries: ["docker", "dockerd"] },
        account: { user: "kolla", group: "kolla", groups: ["sudo", "docker"], createGroups: ["kolla"], createUser: true, addToGroups: [], publicKey: KEY },
        configDir: { path: "/etc/kolla", owner: "kolla", group: "kolla" },
        engine: { name: "docker", work: "start", enable: true, systemd: true },
      }),
    );
    expect(ops).toEqual([
      "remove", "/etc/yum.repos.d/kolla-deploy.repo",
      "apt-install", "docker.io", "need", "docker dockerd",
      "group", "kolla", "group", "sudo", "group", "docker",
      "user", "kolla", "kolla", "sudo,docker",
      "key", "kolla", KEY,
      "dir", "/etc/kolla", "kolla", "kolla",
      "docker-start", "systemd",
      "docker-enable",
    ]);
  });

  it("restarts through the host's supervisor when there is no systemd", () => {
    expect(applyOperations(plan({ engine: { name: "docker", work: "restart", enable: false, systemd: false } }))).toEqual(["docker-restart", "supervised"]);
  });

  it("is no command at all when only files change, and carries the secrets for redaction otherwise", () => {
    expect(applyCommand(plan(), [KEY])).toBeUndefined();
    const cmd = applyCommand(plan({ configDir: { path: "/etc/kolla" } }), [KEY])!;
    expect(cmd).toMatchObject({ become: true, secrets: [KEY] });
    expect(cmd.argv.slice(-4)).toEqual(["dir", "/etc/kolla", "", ""]);
  });

  it("runs its operations in sh: removes files, creates a directory with mode 755 (owner left alone)", () => {
    const dir = mkdtempSync(join(tmpdir(), "kd-bs-script-"));
    const stale = join(dir, "stale.list");
    writeFileSync(stale, "x");
    const made = join(dir, "etc", "kolla");
    const r = runLocally(["remove", stale, "dir", made, "", ""]);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(statSync(made).mode & 0o777).toBe(0o755);
  });

  it("fails with a clear message when the package did not bring the binary, and on an unknown operation", () => {
    const missing = runLocally(["need", "sh kolla-deploy-no-such-binary"]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("kolla-deploy: kolla-deploy-no-such-binary is still missing after installing the package");
    expect(runLocally(["frobnicate"]).stderr).toContain("unknown operation frobnicate");
  });
});
