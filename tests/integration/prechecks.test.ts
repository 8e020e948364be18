/**
 * `kolla-deploy prechecks` on the test bed: passes on healthy hosts with one exec each, and fails
 * with one clear line per problem for a taken port, a missing interface, an empty password and
 * an unreachable host. It changes nothing; the one listener this file starts is removed again.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeDeployEnv, type DeployEnv } from "../helpers/deploy-env.js";
import { runOnHost } from "../helpers/ssh-runner.js";
import { assertRoutesViaBridge, describeTestbed, loadTestbed, type Testbed } from "../helpers/testbed.js";

// Free space varies by machine, so the threshold is low. The bed has no /dev/kvm and its containers'
// hard nofile limit is 20000: software emulation and qemu limits within it (as the e2e sets).
const COMPUTE_OK = ["-e", "nova_compute_virt_type=qemu", "-e", "qemu_max_files=16384", "-e", "qemu_max_processes=65536"];
const VARS = ["-e", "neutron_external_interface=eth1", "-e", "prechecks_min_disk_gb=1", ...COMPUTE_OK];
const squatter = `kd-prechecks-squatter-${process.pid}`;

const failLines = (stdout: string) => stdout.split("\n").filter((l) => l.startsWith("FAIL ") || l.startsWith("UNREACHABLE "));

describeTestbed("kolla-deploy prechecks on the test bed", () => {
  let bed: Testbed;
  let env: DeployEnv;
  beforeAll(() => {
    bed = loadTestbed();
    env = makeDeployEnv(bed);
  });

  it("passes on healthy hosts: every check ok, one exec per host, exit 0", () => {
    const r = env.kd("prechecks", ...VARS);
    expect(r.stdout, r.stderr).toContain(`prechecks passed on ${bed.hosts.length} host(s)`);
    expect(r.code).toBe(0);
    expect(failLines(r.stdout)).toEqual([]);
    for (const h of bed.hosts) expect(r.stdout).toMatch(new RegExp(`^${h.name} +ok +ok +ok +ok +(ok|-) +(ok|-) +(ok|-)$`, "m"));
    const logPath = /run log: (\S+)/.exec(r.stderr)![1]!;
    const end = readFileSync(logPath, "utf8").split("\n").filter((l) => l.includes('"run end"')).map((l) => JSON.parse(l) as { stats: { hosts: Record<string, { execs: number }> } })[0]!;
    for (const h of bed.hosts) expect(end.stats.hosts[h.name]!.execs, h.name).toBe(1);
  });

  it("kolla's defaults on hosts without /dev/kvm: kvm and qemu's limits fail on every compute host, with hints", () => {
    const r = env.kd("prechecks", "-e", "neutron_external_interface=eth1", "-e", "prechecks_min_disk_gb=1");
    expect(r.code, r.stderr).not.toBe(0);
    const lines = failLines(r.stdout);
    for (const h of bed.hosts) {
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^FAIL compute: host ${h.name}: nova_compute_virt_type is kvm, but /dev/kvm does not exist on ${h.name} \\[E_PRECHECK_KVM\\] \\(hint: set nova_compute_virt_type: qemu in globals.yml`)));
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^FAIL compute: host ${h.name}: qemu_max_files is 32768 .*above the hard nofile limit 20000 .*\\[E_PRECHECK_QEMU_LIMIT\\] \\(hint: set qemu_max_files: 19999 in globals.yml`)));
    }
  });

  it("--json says the same for machines", () => {
    const r = env.kd("prechecks", "--json", ...VARS);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { passed: boolean; hosts: { host: string; checks: Record<string, { status: string }> }[] };
    expect(report.passed).toBe(true);
    expect(report.hosts.map((h) => h.host)).toEqual(bed.hosts.map((h) => h.name));
    expect(report.hosts[0]!.checks.engine!.status).toBe("ok");
  });

  describe("with a listener on memcached's port", () => {
    let host: string;
    beforeAll(async () => {
      host = bed.hosts.find((h) => h.engine !== "none")!.name;
      const started = await runOnHost(bed, host, ["docker", "run", "-d", "--name", squatter, "--net", "host", bed.image, "nc", "-l", "-p", "11211"]);
      expect(started.code, started.stderr).toBe(0);
    });
    afterAll(async () => {
      await runOnHost(bed, host, ["docker", "rm", "-f", squatter]);
    });

    it("fails with one line naming the host, the port, the service and the process", () => {
      const r = env.kd("prechecks", ...VARS);
      expect(r.code).toBe(1);
      expect(failLines(r.stdout)).toEqual([
        expect.stringMatching(new RegExp(`^FAIL ports: host ${host}: port 11211 \\(memcached_port of memcached\\) is already taken by nc \\(pid \\d+\\) listening on \\S+:11211 \\[E_PRECHECK_PORT\\] \\(hint: .+\\)$`)),
      ]);
    });
  });

  it("fails with one line per host when network_interface names a missing interface", () => {
    const r = env.kd("prechecks", ...VARS, "-e", "network_interface=eth9");
    expect(r.code).toBe(1);
    const lines = failLines(r.stdout);
    expect(lines).toHaveLength(bed.hosts.length);
    for (const h of bed.hosts) {
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^FAIL interfaces: host ${h.name}: interface eth9 \\(network_interface, api_interface.*\\) does not exist on ${h.name} \\(it has: .*eth0.*\\) \\[E_PRECHECK_INTERFACE\\] \\(hint: set network_interface`)));
    }
  });

  it("fails with one line naming file:line and key for an empty password, never printing a value", () => {
    const original = readFileSync(join(env.configdir, "passwords.yml"), "utf8");
    const lines = original.split("\n");
    const at = lines.findIndex((l) => l.startsWith("keystone_admin_password:"));
    lines[at] = "keystone_admin_password:";
    const file = join(env.dir, "passwords-one-empty.yml");
    writeFileSync(file, lines.join("\n"));
    const r = env.kd("prechecks", ...VARS, "--passwords", file);
    expect(r.code).toBe(1);
    expect(failLines(r.stdout)).toEqual([
      `FAIL passwords: ${file}:${at + 1}: keystone_admin_password: empty password [E_PRECHECK_PASSWORD] (hint: run kolla-deploy genpwd (it fills every empty value and keeps the others))`,
    ]);
    const database = /^database_password: (.+)$/m.exec(original)![1]!;
    expect(r.stdout + r.stderr).not.toContain(database);
  });

  describe("with the VIP already on a host's interface", () => {
    let host: string;
    let vip: string;
    beforeAll(async () => {
      host = bed.hosts[bed.hosts.length - 1]!.name;
      vip = bed.gateway.replace(/\.1$/, ".250"); // makeDeployEnv's kolla_internal_vip_address
      const added = await runOnHost(bed, host, ["ip", "addr", "add", `${vip}/32`, "dev", "eth0"]);
      expect(added.code, added.stderr).toBe(0);
    });
    afterAll(async () => {
      await runOnHost(bed, host, ["ip", "addr", "del", `${vip}/32`, "dev", "eth0"]);
    });

    it("fails the vip check: assigned on that host, answering a ping on the other keepalived hosts", () => {
      const r = env.kd("prechecks", ...VARS);
      expect(r.code).toBe(1);
      const lines = failLines(r.stdout);
      expect(lines).toContainEqual(expect.stringContaining(`FAIL vip: host ${host}: VIP ${vip} (kolla_internal_vip_address) is already assigned to eth0 on ${host}, and no keepalived of ours runs [E_PRECHECK_VIP]`));
      expect(lines.every((l) => l.startsWith("FAIL vip: "))).toBe(true);
    });
  });

  describe("with a login user that has no sudo rights, and a host that does not answer", () => {
    const user = `kdp${process.pid}`;
    let host: string;
    beforeAll(async () => {
      host = bed.hosts[bed.hosts.length - 1]!.name;
      const script = [
        `useradd -m -s /bin/sh ${user}`,
        `usermod -p '*' ${user}`, // "!" (locked) would make sshd refuse the key
        `install -d -m 700 -o ${user} -g ${user} /home/${user}/.ssh`,
        `install -m 600 -o ${user} -g ${user} /root/.ssh/authorized_keys /home/${user}/.ssh/authorized_keys`,
      ].join(" && ");
      const made = await runOnHost(bed, host, ["sh", "-c", script]);
      expect(made.code, made.stderr).toBe(0);
    });
    afterAll(async () => {
      await runOnHost(bed, host, ["sh", "-c", `userdel -r ${user} 2>/dev/null; true`]);
    });

    /** The bed's inventory with `host` logging in as the sudo-less user, plus a host at an unused bed address. */
    function inventoryWithProblems(): string {
      const first = bed.hosts[0]!;
      const ghostAddress = first.address.replace(/\.\d+$/, ".99");
      assertRoutesViaBridge(ghostAddress, bed.bridge);
      const lines = readFileSync(join(bed.dir, "inventory.ini"), "utf8").split("\n");
      const ghost = lines.find((l) => l.startsWith(`${first.name} `))!.replace(first.name, "ghost").replace(first.address, ghostAddress);
      return lines
        .map((l) => (l.startsWith(`${host} `) ? l.replace(/ansible_user=\S+/, `ansible_user=${user} ansible_become=true`) : l))
        .join("\n")
        .replace("[control]\n", `[control]\n${ghost}\n`);
    }

    it("reports each in one line and still checks everything else", () => {
      const r = makeDeployEnv(bed, { hostsIni: inventoryWithProblems() }).kd("prechecks", ...VARS, "--connect-timeout", "3");
      expect(r.code).toBe(1);
      expect(failLines(r.stdout)).toEqual([
        expect.stringMatching(/^UNREACHABLE ghost: host ghost: /),
        expect.stringMatching(new RegExp(`^FAIL sudo: host ${host}: sudo to root refused: .*\\[E_PRECHECK_SUDO\\] \\(hint: .*passwordless sudo`)),
      ]);
      expect(r.stdout).toMatch(new RegExp(`^${host} +FAIL +ok +ok +ok`, "m"));
      for (const h of bed.hosts.filter((x) => x.name !== host)) expect(r.stdout).toMatch(new RegExp(`^${h.name} +ok +ok +ok +ok`, "m"));
    });
  });
});
