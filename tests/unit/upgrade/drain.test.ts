/** Which haproxy backends a rolling batch takes its host out of, and the admin-socket script that does it. */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_ROLES_DIR } from "../../../src/apply/prepare.js";
import { dockerDriver } from "../../../src/engine/driver.js";
import { HAPROXY_SOCKET, parseServerState, setServerStateCommand } from "../../../src/engine/haproxy-admin.js";
import { loadRoles } from "../../../src/roles/index.js";
import { drainTarget } from "../../../src/upgrade/drain.js";

const roles = loadRoles(DEFAULT_ROLES_DIR);
const role = (name: string) => roles.find((r) => r.name === name)!;
// kolla's multinode groups, resolved: keystone on every host, haproxy on two, nova-compute on one.
const groups: Record<string, string[]> = { keystone: ["node1", "node2", "node3"], loadbalancer: ["node1", "node2"], compute: ["node3"], "nova-api": ["node1"] };
const lookup = { groupHosts: (g: string) => groups[g] ?? [] };
const vars = (extra: Record<string, unknown> = {}) => () => ({ enable_keystone: "yes", enable_haproxy: "yes", enable_loadbalancer: "yes", enable_nova: "yes", ...extra });
const ALL = ["node1", "node2", "node3"];

describe("drain target", () => {
  it("keystone on node3: both keystone backends, on every haproxy host", () => {
    const t = drainTarget(roles, role("keystone"), "node3", lookup, vars(), ALL);
    expect(t.loadbalancers).toEqual(["node1", "node2"]);
    expect(t.backends).toEqual(["keystone_internal_back", "keystone_external_back"]);
  });

  it("only the haproxy hosts this run may touch (--limit)", () => {
    expect(drainTarget(roles, role("keystone"), "node3", lookup, vars(), ["node2", "node3"]).loadbalancers).toEqual(["node2"]);
  });

  it("nothing when haproxy is disabled, or the role has no frontend on that host", () => {
    expect(drainTarget(roles, role("keystone"), "node3", lookup, vars({ enable_haproxy: "no" }), ALL).loadbalancers).toEqual([]);
    // node3 runs nova-compute, which no frontend serves; node1 runs nova-api, which nova_api_back serves.
    expect(drainTarget(roles, role("nova"), "node3", lookup, vars(), ALL)).toEqual({ loadbalancers: [], backends: [] });
    expect(drainTarget(roles, role("nova"), "node1", lookup, vars(), ALL).backends).toContain("nova_api_back");
  });
});

describe("haproxy admin command", () => {
  it("runs in the haproxy container with the names as arguments", () => {
    const cmd = setServerStateCommand(dockerDriver, "node3", ["keystone_internal_back"], "maint");
    expect(cmd.argv.slice(0, 3)).toEqual(["docker", "exec", "haproxy"]);
    expect(cmd.argv.slice(-4)).toEqual([HAPROXY_SOCKET, "maint", "node3", "keystone_internal_back"]);
  });

  it("the script sets each backend, reports absent ones, and fails on any other answer", () => {
    const dir = mkdtempSync(join(tmpdir(), "kd-socat-"));
    const log = join(dir, "sent");
    // A stand-in socat: records the line it was sent; answers like haproxy's runtime API.
    writeFileSync(join(dir, "socat"), `#!/bin/sh\nread -r line; echo "$line" >> ${log}\ncase $line in *missing_back/*) echo "No such backend.";; *denied_back/*) echo "Permission denied";; *) echo;; esac\n`);
    chmodSync(join(dir, "socat"), 0o755);
    const script = (backends: string[]) => {
      const argv = setServerStateCommand(dockerDriver, "node3", backends, "ready").argv.slice(3);
      return spawnSync(argv[0]!, argv.slice(1), { encoding: "utf8", env: { PATH: `${dir}:/usr/bin:/bin` } });
    };
    const good = script(["keystone_internal_back", "missing_back"]);
    expect(good.status).toBe(0);
    expect(parseServerState(good.stdout)).toEqual({ set: ["keystone_internal_back"], absent: ["missing_back"] });
    const bad = script(["denied_back"]);
    expect(bad.status).toBe(4);
    expect(bad.stderr).toContain("denied_back: Permission denied");
    expect(spawnSync("cat", [log], { encoding: "utf8" }).stdout).toContain("set server keystone_internal_back/node3 state ready");
  });
});
