/**
 * The ssh2 transport against real OpenSSH servers on the test bed: one connection per host
 * however many commands run, batched writes in one round trip, no partial file when the
 * connection drops mid-transfer, become through sudo, ProxyJump, timeouts and auth failures.
 * Everything is checked on the hosts through the system ssh client (tests/helpers/ssh-runner).
 */
import type { Duplex } from "node:stream";
import { afterAll, beforeAll, expect, it } from "vitest";
import { machineSettingsEnv, TransportPool, type TransportPoolOptions } from "../../src/exec/index.js";
import { openTcpSocket, type SocketOpener } from "../../src/exec/socket.js";
import type { Vars } from "../../src/inventory/types.js";
import { runOnHost } from "../helpers/ssh-runner.js";
import { describeTestbed, loadTestbed, type Testbed, type TestbedHost } from "../helpers/testbed.js";

const tag = `kd-ssh-${process.pid}`;
const becomeUser = `kdb${process.pid}`;

function connectionVars(bed: Testbed, host: TestbedHost, extra: Vars = {}): Vars {
  return {
    ansible_host: host.address,
    ansible_port: String(host.port),
    ansible_user: host.user,
    ansible_ssh_private_key_file: bed.sshKey,
    ansible_ssh_common_args: `-o UserKnownHostsFile=${bed.knownHosts}`,
    ...extra,
  };
}

/** The machine's settings, minus any ssh-agent of whoever runs the tests. */
const env = { ...machineSettingsEnv(), agentSocket: undefined };

function poolFor(bed: Testbed, opts: TransportPoolOptions = {}, extra: Vars = {}): TransportPool {
  return new TransportPool(bed.hosts.map((h) => ({ name: h.name, vars: connectionVars(bed, h, extra) })), { env, ...opts });
}

/** A user with the bed's key and passwordless sudo ("*" not "!": sshd refuses locked accounts). */
function addSudoUserScript(user: string): string {
  return [
    `useradd -m -s /bin/sh ${user}`,
    `usermod -p '*' ${user}`,
    `install -d -m 700 -o ${user} -g ${user} /home/${user}/.ssh`,
    `install -m 600 -o ${user} -g ${user} /root/.ssh/authorized_keys /home/${user}/.ssh/authorized_keys`,
    `echo '${user} ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/${user}`,
    `chmod 440 /etc/sudoers.d/${user}`,
  ].join(" && ");
}

async function onHost(bed: Testbed, host: string, script: string): Promise<string> {
  const r = await runOnHost(bed, host, ["sh", "-c", script]);
  if (r.code !== 0) throw new Error(`${host}: ${script}: ${r.stderr}`);
  return r.stdout;
}

describeTestbed("ssh2 transport on the test bed", () => {
  let bed: Testbed;
  beforeAll(() => {
    bed = loadTestbed();
  });
  afterAll(async () => {
    await Promise.all(bed.hosts.map((h) => runOnHost(bed, h.name, ["rm", "-rf", `/tmp/${tag}`, `/etc/${tag}`])));
  });

  it("opens one connection per host however many commands run", async () => {
    const pool = poolFor(bed);
    try {
      const runs = bed.hosts.flatMap((h) => Array.from({ length: 25 }, (_, i) => pool.get(h.name).run({ argv: ["sh", "-c", `sleep 0.2; echo ${i}`] })));
      const results = await Promise.all(runs);
      expect(results.every((r) => r.code === 0)).toBe(true);
      await Promise.all(bed.hosts.map((h) => pool.get(h.name).putFiles([{ path: `/tmp/${tag}/count`, content: "x", mode: 0o644 }])));
      expect(pool.stats.connections).toBe(bed.hosts.length);
      for (const h of bed.hosts) expect(pool.stats.hosts[h.name]).toEqual({ connections: 1, execs: 26 });
    } finally {
      await pool.closeAll();
    }
  });

  it("writes 50 files per host in one exec, with their modes and owners", async () => {
    const pool = poolFor(bed);
    try {
      const files = Array.from({ length: 50 }, (_, i) => ({
        path: `/tmp/${tag}/batch/${i % 5}/file ${i}.conf`,
        content: `content of ${i}\n`,
        mode: i % 2 === 0 ? 0o640 : 0o600,
        owner: i % 3 === 0 ? "daemon" : "root",
        group: i % 3 === 0 ? "daemon" : "root",
      }));
      await Promise.all(bed.hosts.map((h) => pool.get(h.name).putFiles(files)));
      for (const h of bed.hosts) expect(pool.stats.hosts[h.name]!.execs).toBe(1);
      for (const h of bed.hosts) {
        const listing = await onHost(bed, h.name, `cd /tmp/${tag}/batch && for f in */*; do printf '%s|%s|%s\\n' "$f" "$(stat -c '%a %U %G' "$f")" "$(cat "$f")"; done`);
        const seen = new Set(listing.trim().split("\n"));
        for (const [i, f] of files.entries()) {
          expect(seen).toContain(`${i % 5}/file ${i}.conf|${f.mode.toString(8)} ${f.owner} ${f.group}|content of ${i}`);
        }
        expect(seen.size).toBe(50);
      }
    } finally {
      await pool.closeAll();
    }
  });

  it("leaves the old content and no temp file when the connection drops mid-transfer", async () => {
    const host = bed.hosts[0]!;
    const dest = `/tmp/${tag}/drop/big.bin`;
    await onHost(bed, host.name, `mkdir -p /tmp/${tag}/drop && echo old > ${dest}`);
    let socket: Duplex | undefined;
    let written = 0;
    const cutting: SocketOpener = async (endpoint, timeoutMs) => {
      const s = await openTcpSocket(endpoint, timeoutMs);
      const write = s.write.bind(s) as (...args: unknown[]) => boolean;
      s.write = ((chunk: Buffer, ...rest: unknown[]) => {
        written += chunk.length;
        if (written > 4_000_000) setImmediate(() => s.destroy());
        return write(chunk, ...rest);
      }) as typeof s.write;
      socket = s;
      return s;
    };
    const pool = new TransportPool([{ name: host.name, vars: connectionVars(bed, host) }], { env, openSocket: cutting });
    try {
      const big = Buffer.alloc(40_000_000, 0x61);
      await expect(pool.get(host.name).putFiles([{ path: dest, content: big, mode: 0o644 }])).rejects.toMatchObject({
        code: "E_HOST_UNREACHABLE",
        host: host.name,
      });
      expect(socket?.destroyed).toBe(true);
      // The remote script notices the cut stream and cleans up; give it a moment.
      let state = "";
      for (let i = 0; i < 50; i++) {
        state = await onHost(bed, host.name, `cat ${dest}; ls -A /tmp/${tag}/drop; ls -A /tmp | grep -c '^.kd-put' || true`);
        if (state === "old\nbig.bin\n0\n") break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(state).toBe("old\nbig.bin\n0\n");
    } finally {
      await pool.closeAll();
    }
  });

  it("become: a non-root user gets root through sudo -n; files land owned by root", async () => {
    const host = bed.hosts[0]!;
    await onHost(bed, host.name, addSudoUserScript(becomeUser));
    const vars = connectionVars(bed, host, { ansible_user: becomeUser, ansible_become: "true" });
    const pool = new TransportPool([{ name: host.name, vars }], { env });
    try {
      const t = pool.get(host.name);
      expect(await t.run({ argv: ["id", "-u"] })).toMatchObject({ code: 0, stdout: "0\n" });
      expect((await t.run({ argv: ["id", "-un"], become: false })).stdout).toBe(`${becomeUser}\n`);
      expect((await t.run({ argv: ["cat"], stdin: "through sudo" })).stdout).toBe("through sudo");
      await t.putFiles([{ path: `/etc/${tag}/secret.conf`, content: "s", mode: 0o600 }]);
      expect(await onHost(bed, host.name, `stat -c '%a %U' /etc/${tag}/secret.conf`)).toBe("600 root\n");
    } finally {
      await pool.closeAll();
      await onHost(bed, host.name, `rm -f /etc/sudoers.d/${becomeUser}; userdel -r ${becomeUser} 2>/dev/null; true`);
    }
  });

  it("reaches a host through a ProxyJump host, sharing the jump connection", async () => {
    const [jump, target] = [bed.hosts[0]!, bed.hosts[1]!];
    const viaJump = `-o UserKnownHostsFile=${bed.knownHosts} -o ProxyJump=${jump.user}@${jump.address}:${jump.port}`;
    const pool = new TransportPool([{ name: target.name, vars: connectionVars(bed, target, { ansible_ssh_common_args: viaJump }) }], { env });
    try {
      expect((await pool.get(target.name).run({ argv: ["hostname"] })).stdout).toBe(`${target.name}\n`);
      expect(pool.stats.connections).toBe(2);
    } finally {
      await pool.closeAll();
    }
  });

  it("fails clearly: auth refused, command timeout; the connection survives a timeout", async () => {
    const host = bed.hosts[0]!;
    const pool = new TransportPool(
      [
        { name: "good", vars: connectionVars(bed, host) },
        { name: "stranger", vars: connectionVars(bed, host, { ansible_user: "nosuchuser" }) },
      ],
      { env },
    );
    try {
      await expect(pool.get("stranger").run({ argv: ["true"] })).rejects.toMatchObject({ code: "E_HOST_AUTH", host: "stranger" });
      const started = Date.now();
      await expect(pool.get("good").run({ argv: ["sleep", "10"], timeoutMs: 500 })).rejects.toMatchObject({ code: "E_HOST_TIMEOUT", host: "good" });
      expect(Date.now() - started).toBeLessThan(5000);
      expect((await pool.get("good").run({ argv: ["echo", "still here"] })).stdout).toBe("still here\n");
      expect(pool.stats.hosts.good!.connections).toBe(1);
    } finally {
      await pool.closeAll();
    }
  });
});
