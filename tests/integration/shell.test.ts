/**
 * `kolla-deploy shell` end to end on the test bed: an INI inventory written from inventory.json,
 * output prefixed per host, a stopped sshd reported without stopping the others, --json, --become.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "../helpers/cli.js";
import { runOnHost } from "../helpers/ssh-runner.js";
import { describeTestbed, loadTestbed, type Testbed } from "../helpers/testbed.js";

const TESTBED_SCRIPT = join(REPO_ROOT, "tests", "testbed", "testbed.sh");
const sudoUser = `kds${process.pid}`;

function writeInventory(bed: Testbed, dir: string): string {
  const lines = bed.hosts.map(
    (h) =>
      `${h.name} ansible_host=${h.address} ansible_port=${h.port} ansible_user=${h.user} ansible_ssh_private_key_file=${bed.sshKey} ansible_ssh_common_args='-o UserKnownHostsFile=${bed.knownHosts}'`,
  );
  const path = join(dir, "inventory.ini");
  writeFileSync(path, `[control]\n${lines.join("\n")}\n`);
  return path;
}

/** No ssh-agent of whoever runs the tests, so only the inventory's key is used. */
const cliEnv = { SSH_AUTH_SOCK: "", KOLLA_DEPLOY_LOG_DIR: join(tmpdir(), "kd-shell-logs") };

function testbedScript(...args: string[]): void {
  execFileSync("bash", [TESTBED_SCRIPT, ...args], { stdio: "pipe" });
}

describeTestbed("kolla-deploy shell on the test bed", () => {
  let bed: Testbed;
  let dir: string;
  let inventory: string;
  beforeAll(() => {
    bed = loadTestbed();
    dir = mkdtempSync(join(tmpdir(), "kd-shell-"));
    inventory = writeInventory(bed, dir);
  });

  it("prints every host's output once, prefixed, with rc=0, and exits 0", () => {
    const r = runCli(["shell", "-i", inventory, "--", "cat /etc/hostname"], { env: cliEnv });
    expect(r.code).toBe(0);
    for (const h of bed.hosts) {
      expect(r.stdout.split("\n").filter((l) => l === `${h.name} | ${h.name}`)).toHaveLength(1);
      expect(r.stdout).toContain(`${h.name} | rc=0\n`);
    }
  });

  it("with the inventory the test bed writes, prints exactly node1..nodeN, once each", () => {
    const r = runCli(["shell", "-i", join(bed.dir, "inventory.ini"), "--", "cat /etc/hostname"], { env: cliEnv });
    expect(r.code).toBe(0);
    const names = r.stdout.split("\n").filter((l) => !l.endsWith("rc=0") && l !== "").map((l) => l.split(" | ")[1]);
    expect(names.sort()).toEqual(bed.hosts.map((h) => h.name).sort());
  });

  it("reports a host whose sshd is stopped, still runs the others, and exits non-zero quickly", () => {
    const down = bed.hosts[bed.hosts.length - 1]!;
    testbedScript("stop-sshd", down.name);
    let r: ReturnType<typeof runCli>;
    const started = Date.now();
    try {
      r = runCli(["shell", "-i", inventory, "--connect-timeout", "5", "--", "cat /etc/hostname"], { env: cliEnv });
    } finally {
      testbedScript("start-sshd", down.name);
    }
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.code).not.toBe(0);
    for (const h of bed.hosts.filter((x) => x !== down)) expect(r.stdout).toContain(`${h.name} | ${h.name}\n`);
    expect(r.stdout).not.toContain(`${down.name} | ${down.name}`);
    expect(r.stderr).toMatch(new RegExp(`^${down.name} \\| error: host ${down.name}: SSH connection to .* refused \\[E_HOST_UNREACHABLE\\] \\(hint: `, "m"));
  });

  it("--json prints one record per host with rc, stdout, stderr and error", () => {
    const r = runCli(["shell", "-i", inventory, "-l", bed.hosts[0]!.name, "--json", "--", "echo out; echo err >&2; exit 3"], { env: cliEnv });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual([{ host: bed.hosts[0]!.name, rc: 3, stdout: "out\n", stderr: "err\n", error: null }]);
  });

  describe("as a non-root user with passwordless sudo", () => {
    const host = (): Testbed["hosts"][number] => bed.hosts[0]!;
    beforeAll(async () => {
      const script = [
        `useradd -m -s /bin/sh ${sudoUser}`,
        `usermod -p '*' ${sudoUser}`, // "!" (locked) would make sshd refuse the key
        `install -d -m 700 -o ${sudoUser} -g ${sudoUser} /home/${sudoUser}/.ssh`,
        `install -m 600 -o ${sudoUser} -g ${sudoUser} /root/.ssh/authorized_keys /home/${sudoUser}/.ssh/authorized_keys`,
        `echo '${sudoUser} ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/${sudoUser}`,
      ].join(" && ");
      const r = await runOnHost(bed, host().name, ["sh", "-c", script]);
      if (r.code !== 0) throw new Error(r.stderr);
    });
    afterAll(async () => {
      await runOnHost(bed, host().name, ["sh", "-c", `rm -f /etc/sudoers.d/${sudoUser}; userdel -r ${sudoUser}; true`]);
    });

    const inventoryAs = (extra: string): string => {
      const h = host();
      const path = join(dir, `as-user-${extra === "" ? "plain" : "become"}.ini`);
      writeFileSync(path, `${h.name} ansible_host=${h.address} ansible_user=${sudoUser} ${extra} ansible_ssh_private_key_file=${bed.sshKey} ansible_ssh_common_args='-o UserKnownHostsFile=${bed.knownHosts}'\n`);
      return path;
    };

    it("ansible_become=true runs the command as root", () => {
      const r = runCli(["shell", "-i", inventoryAs("ansible_become=true"), "--", "id -u"], { env: cliEnv });
      expect(r.stdout).toBe(`${host().name} | 0\n${host().name} | rc=0\n`);
      expect(r.code).toBe(0);
    });

    it("without become it runs as the user; --become switches to root", () => {
      const inv = inventoryAs("");
      expect(runCli(["shell", "-i", inv, "--", "id -un"], { env: cliEnv }).stdout).toBe(`${host().name} | ${sudoUser}\n${host().name} | rc=0\n`);
      expect(runCli(["shell", "-i", inv, "--become", "--", "id -un"], { env: cliEnv }).stdout).toBe(`${host().name} | root\n${host().name} | rc=0\n`);
    });
  });

  it("--ssh-host-key-checking accept-new records an unknown host key", () => {
    const known = join(dir, "empty_known_hosts");
    writeFileSync(known, "");
    const h = bed.hosts[2]!;
    const inv = join(dir, "accept-new.ini");
    writeFileSync(inv, `${h.name} ansible_host=${h.address} ansible_user=${h.user} ansible_ssh_private_key_file=${bed.sshKey} ansible_ssh_common_args='-o UserKnownHostsFile=${known}'\n`);
    const refused = runCli(["shell", "-i", inv, "--", "true"], { env: cliEnv });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("E_HOST_KEY_UNKNOWN");
    const accepted = runCli(["shell", "-i", inv, "--ssh-host-key-checking", "accept-new", "--", "hostname"], { env: cliEnv });
    expect(accepted.stdout).toBe(`${h.name} | ${h.name}\n${h.name} | rc=0\n`);
    expect(runCli(["shell", "-i", inv, "--", "true"], { env: cliEnv }).code).toBe(0);
  });
});
