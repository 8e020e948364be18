/**
 * Fresh fake hosts for unit tests of planning and apply: each answers kolla-deploy's composed
 * gather query as a new host would (facts, no config files, no containers, no images, no record)
 * and every other command with success, recording what it was sent. No network, no shell.
 */
import type { Command, CommandResult } from "../../src/command.js";
import { FakeTransport } from "../../src/exec/fake.js";

const OK: CommandResult = { code: 0, stdout: "", stderr: "" };

/** The sections of a composed query (src/exec/compose.ts), answered as a fresh host would. */
function freshGather(cmd: Command, host: string, address: string): CommandResult | undefined {
  const script = cmd.argv[2] ?? "";
  const marker = /__kolla_deploy_[0-9a-f]+__/.exec(script)?.[0];
  if (cmd.argv[0] !== "sh" || marker === undefined) return undefined;
  // Each query's begin line is printed twice (stdout and stderr).
  const count = (script.match(/printf '%s begin \d+\\n'/g) ?? []).length / 2;
  const answers = [
    { code: 0, out: `${host}\n2: eth0    inet ${address}/24 brd 198.18.0.255 scope global eth0\n3: eth1    inet 198.18.1.${address.split(".")[3]}/24 scope global eth1\n` },
    { code: 0, out: "" },
    { code: 1, out: "[]\n", err: "Error: No such container: x\n" },
    { code: 0, out: "" },
    { code: 1, out: "", err: "cat: /var/lib/kolla-deploy/state.json: No such file or directory\n" },
  ];
  let stdout = "";
  let stderr = "";
  for (let i = 0; i < count; i++) {
    const a = answers[i] ?? { code: 0, out: "" };
    stdout += `${marker} begin ${i}\n${a.out}\n${marker} end ${i} ${a.code}\n`;
    stderr += `${marker} begin ${i}\n${"err" in a ? a.err : ""}\n${marker} end ${i} ${a.code}\n`;
  }
  return { code: 0, stdout, stderr };
}

export class FakeHosts {
  readonly transports = new Map<string, FakeTransport>();

  constructor(private readonly addresses: Readonly<Record<string, string>>) {}

  get(host: string): FakeTransport {
    let t = this.transports.get(host);
    if (t === undefined) {
      const address = this.addresses[host] ?? "198.18.0.99";
      t = new FakeTransport(host, (cmd) => freshGather(cmd, host, address) ?? OK);
      this.transports.set(host, t);
    }
    return t;
  }

  /** Forgets what was sent so far (the gather), keeping the hosts. */
  clear(): void {
    for (const t of this.transports.values()) {
      t.commands.length = 0;
      t.uploads.length = 0;
      t.stats.execs = 0;
    }
  }
}
