/**
 * planBootstrap/applyBootstrap over fake transports: exec budget per host, --limit, a host that
 * does not answer, and the /etc/hosts block built from every host's facts.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { limiter } from "../../../src/limit.js";
import { describe, expect, it } from "vitest";
import { toNiceJson } from "../../../src/bootstrap/engine-config.js";
import { MANAGED_FILES } from "../../../src/bootstrap/files.js";
import { prepareBootstrap } from "../../../src/bootstrap/prepare.js";
import { applyBootstrap, planBootstrap } from "../../../src/bootstrap/run.js";
import type { Progress } from "../../../src/apply/progress.js";
import { commonOptions } from "../../../src/cli/common.js";
import { DeployError } from "../../../src/errors.js";
import { FakeTransport } from "../../../src/exec/fake.js";
import type { Command, CommandResult } from "../../../src/exec/types.js";

const INVENTORY = `[control]
node1 ansible_host=10.0.0.11
node2 ansible_host=10.0.0.12
node3 ansible_host=10.0.0.13

[baremetal:children]
control
`;
const BLOCK = "# BEGIN ANSIBLE GENERATED HOSTS\n10.0.0.11 node1\n10.0.0.12 node2\n10.0.0.13 node3\n# END ANSIBLE GENERATED HOSTS\n";
const DAEMON = toNiceJson({ "log-opts": { "max-file": "5", "max-size": "50m" }, iptables: false, bridge: "none", "ip-forward": false });

function prepared(limit?: string) {
  const dir = mkdtempSync(join(tmpdir(), "kd-bs-run-"));
  writeFileSync(join(dir, "inventory"), INVENTORY);
  writeFileSync(join(dir, "globals.yml"), 'network_interface: "eth0"\n');
  return prepareBootstrap(commonOptions({ inventory: [join(dir, "inventory")], configdir: dir, limit, extraVars: [] }));
}

interface FakeHost {
  probe: string;
  files: Record<string, string>;
}

const BOOTSTRAPPED: FakeHost = {
  probe: "init=tini\npm=apt-get\nbin=docker\nbin=dockerd\nanswers=1\ngroup=kolla\ngroup=sudo\ngroup=docker\nusergroups=kolla kolla sudo docker\nconfigdir=755 kolla kolla\n",
  files: { "/etc/docker/daemon.json": DAEMON, "/etc/hosts": `127.0.0.1 localhost\n${BLOCK}`, "/etc/sudoers.d/kolla-ansible-users": "kolla ALL=(ALL) NOPASSWD: ALL\n" },
};
const BARE: FakeHost = { probe: "init=tini\npm=apt-get\ngroup=sudo\n", files: { "/etc/hosts": "127.0.0.1 localhost\n127.0.1.1 node3\n" } };

/** Answers the one composed gather exec the way a host in this shape would. */
function gatherAnswer(cmd: Command, host: string, shape: FakeHost): CommandResult {
  const marker = /(__kolla_deploy_[0-9a-f]+__)/.exec(cmd.argv[2]!)![1]!;
  const last = Number(host.slice(-1));
  const parts = [
    { code: 0, out: `${host}\n2: eth0    inet 10.0.0.1${last}/24 brd 10.0.0.255 scope global eth0\n` },
    { code: 0, out: shape.probe },
    { code: 0, out: "" },
    ...MANAGED_FILES.map((path) => (path in shape.files ? { code: 0, out: `${path === "/etc/sudoers.d/kolla-ansible-users" ? 640 : 644} root root\n${shape.files[path]}` } : { code: 1, out: "" })),
  ];
  return { code: 0, stdout: parts.map((p, i) => `${marker} begin ${i}\n${p.out}\n${marker} end ${i} ${p.code}\n`).join(""), stderr: "" };
}

function fakes(): Map<string, FakeTransport> {
  const unreachable = new DeployError("E_HOST_UNREACHABLE", "connection refused", "check sshd", { host: "node2" });
  return new Map([
    ["node1", new FakeTransport("node1", (cmd) => gatherAnswer(cmd, "node1", BOOTSTRAPPED))],
    ["node2", new FakeTransport("node2", () => Promise.reject(unreachable))],
    ["node3", new FakeTransport("node3", (cmd) => (cmd.argv[2]!.includes("__kolla_deploy_") ? gatherAnswer(cmd, "node3", BARE) : { code: 0, stdout: "", stderr: "" }))],
  ]);
}

const quiet: Progress = { step: () => {}, done: () => {}, failed: () => {}, note: () => {} };

describe("bootstrap run over fake hosts", () => {
  it("one gather per host; the unreachable host fails alone; the /etc/hosts block lists every host", async () => {
    const hosts = fakes();
    const result = await planBootstrap(prepared(), { get: (h) => hosts.get(h)! }, limiter(10));
    expect([...result.failed.keys()]).toEqual(["node2"]);
    expect(result.warnings).toEqual(["no facts from node2 (unreachable?): using its ansible_host 10.0.0.12 as its api_interface address"]);
    expect(result.plans.map((p) => [p.host, p.changes.length > 0])).toEqual([["node1", false], ["node3", true]]);
    const etcHosts = result.plans[1]!.uploads.find((u) => u.path === "/etc/hosts");
    expect(etcHosts?.content).toBe(`127.0.0.1 localhost\n${BLOCK}`);
    for (const t of hosts.values()) expect(t.commands).toHaveLength(1);
  });

  it("applies with one putFiles and one exec on the changed host, none on the unchanged one", async () => {
    const hosts = fakes();
    const pool = { get: (h: string) => hosts.get(h)! };
    const forks = limiter(10);
    const result = await planBootstrap(prepared(), pool, forks);
    const outcomes = await applyBootstrap(result, pool, forks, [], quiet);
    expect(outcomes.map((o) => `${o.host} ${o.status}`)).toEqual(["node1 unchanged", "node3 changed"]);
    expect(hosts.get("node1")!.stats.execs).toBe(1);
    expect(hosts.get("node3")!.stats.execs).toBe(3);
    expect(hosts.get("node3")!.uploads[0]!.map((u) => u.path)).toEqual([
      "/etc/docker/daemon.json", "/etc/hosts", "/etc/sudoers.d/kolla-ansible-users",
    ]);
    expect(hosts.get("node3")!.commands[1]!.argv.slice(4)).toEqual([
      "apt-install", "docker.io", "need", "docker dockerd", "group", "kolla", "group", "sudo", "group", "docker", "user", "kolla", "kolla", "sudo,docker",
      "dir", "/etc/kolla", "kolla", "kolla", "docker-start", "supervised",
    ]);
  });

  it("under --limit only the limited host is planned; an unreachable other host is a warning, not a failure", async () => {
    const hosts = fakes();
    const result = await planBootstrap(prepared("node3"), { get: (h) => hosts.get(h)! }, limiter(10));
    expect(result.failed.size).toBe(0);
    expect(result.plans.map((p) => p.host)).toEqual(["node3"]);
    expect(result.warnings[0]).toMatch(/^node2 \(not changed by this run\) did not answer: .*E_HOST_UNREACHABLE/);
    expect(hosts.get("node1")!.commands).toHaveLength(1);
  });

  it("under --limit the other hosts learn the joining host's name (/etc/hosts only); a host stale for other reasons is left alone", async () => {
    const without3 = "# BEGIN ANSIBLE GENERATED HOSTS\n10.0.0.11 node1\n10.0.0.12 node2\n# END ANSIBLE GENERATED HOSTS\n";
    const joined = (hosts: string): FakeHost => ({ ...BOOTSTRAPPED, files: { ...BOOTSTRAPPED.files, "/etc/hosts": `127.0.0.1 localhost\n${hosts}` } });
    const hosts = new Map([
      ["node1", new FakeTransport("node1", (cmd) => gatherAnswer(cmd, "node1", joined(without3)))],
      ["node2", new FakeTransport("node2", (cmd) => gatherAnswer(cmd, "node2", joined("10.0.0.99 node1\n")))],
      ["node3", new FakeTransport("node3", (cmd) => (cmd.argv[2]!.includes("__kolla_deploy_") ? gatherAnswer(cmd, "node3", BARE) : { code: 0, stdout: "", stderr: "" }))],
    ]);
    const pool = { get: (h: string) => hosts.get(h)! };
    const result = await planBootstrap(prepared("node3"), pool, limiter(10));
    expect(result.plans.map((p) => p.host)).toEqual(["node1", "node3"]);
    const node1 = result.plans[0]!;
    expect(node1.changes.map((c) => `${c.kind} ${c.action} ${c.target}: ${c.reason}`)).toEqual(["file update /etc/hosts: lists the hosts joining with --limit"]);
    expect(node1.uploads.map((u) => u.content)).toEqual([`127.0.0.1 localhost\n${BLOCK}`]);
    const outcomes = await applyBootstrap(result, pool, limiter(10), [], quiet);
    expect(outcomes.map((o) => `${o.host} ${o.status}`)).toEqual(["node1 changed", "node3 changed"]);
    expect(hosts.get("node1")!.stats.execs).toBe(2); // the gather and one putFiles: no command
    expect(hosts.get("node2")!.uploads).toEqual([]);
  });
});
