/**
 * Test helper: "hosts" that are directories on this machine. Each host's commands run through the
 * real LocalTransport and sh; the placeholder state dir DIR is replaced by that host's directory
 * wherever it appears in an argv word.
 */
import { mkdirSync, mkdtempSync } from "node:fs";
import { userInfo } from "node:os";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalTransport } from "../../../src/exec/local.js";
import type { Command, CommandResult, FileUpload, Transport } from "../../../src/exec/types.js";
import type { HostSource } from "../../../src/lock/index.js";

export const DIR = "@STATE_DIR@";

class DirTransport implements Transport {
  private readonly inner: LocalTransport;
  constructor(
    readonly host: string,
    private readonly dir: string,
  ) {
    // become user = ourselves: no sudo, whoever runs the tests
    this.inner = new LocalTransport(host, { become: false, becomeUser: userInfo().username, maxProcesses: 8, commandTimeoutMs: 20_000 });
  }
  get stats() {
    return this.inner.stats;
  }
  run(cmd: Command): Promise<CommandResult> {
    // Also inside scripts: a command composed with another carries DIR within its script text.
    return this.inner.run({ ...cmd, argv: cmd.argv.map((a) => a.split(DIR).join(this.dir)) });
  }
  putFiles(files: readonly FileUpload[]): Promise<void> {
    return this.inner.putFiles(files);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

export interface LocalHosts extends HostSource {
  readonly base: string;
  dirOf(host: string): string;
  readonly commands: Map<string, number>;
}

export function localHosts(names: readonly string[]): LocalHosts {
  const base = mkdtempSync(join(tmpdir(), "kd-lock-"));
  const transports = new Map(names.map((n) => [n, new DirTransport(n, join(base, n))]));
  for (const n of names) mkdirSync(join(base, n));
  const commands = new Map<string, number>();
  return {
    base,
    commands,
    dirOf: (host) => join(base, host),
    get: (host) => {
      commands.set(host, (commands.get(host) ?? 0) + 1);
      const t = transports.get(host);
      if (t === undefined) throw new Error(`no test host ${host}`);
      return t;
    },
  };
}
