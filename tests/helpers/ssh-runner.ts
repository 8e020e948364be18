/**
 * Test-only runner: runs an argv on a test-bed host through the system OpenSSH client
 * (`ssh -F <ssh_config> nodeN -- <quoted argv>`). The product's own ssh2 transport is tested
 * separately; engine and test-bed tests use this so they do not depend on it.
 *
 * The route to the host is checked before every connection (the network rule).
 */
import { spawn } from "node:child_process";
import type { Command, CommandResult } from "../../src/exec/types.js";
import { assertRoutesViaBridge, testbedHost, type Testbed } from "./testbed.js";

export interface SshRunOptions {
  /** log in as this user instead of root (e.g. the test bed's sudo user) */
  user?: string;
  stdin?: string | Buffer;
  timeoutMs?: number;
}

export interface SshRunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** POSIX single-quoting: the remote shell sees each argument exactly as given. */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** Runs argv on the named host; resolves with the exit code (255 = ssh itself failed). */
export async function runOnHost(
  bed: Testbed,
  hostName: string,
  argv: readonly string[],
  opts: SshRunOptions = {},
): Promise<SshRunResult> {
  const host = testbedHost(bed, hostName);
  assertRoutesViaBridge(host.address, bed.bridge);
  const login = opts.user === undefined ? [] : ["-l", opts.user];
  const sshArgs = ["-F", bed.sshConfig, ...login, host.name, "--", argv.map(shellQuote).join(" ")];
  return spawnCollect("ssh", sshArgs, opts.stdin, opts.timeoutMs ?? 60_000);
}

/** A `(cmd) => result` runner for one host, the shape the engine helpers take. */
export function hostRunner(bed: Testbed, hostName: string): (cmd: Command) => Promise<CommandResult> {
  return (cmd) => {
    const opts: SshRunOptions = {};
    if (cmd.stdin !== undefined) opts.stdin = cmd.stdin;
    if (cmd.timeoutMs !== undefined) opts.timeoutMs = cmd.timeoutMs;
    return runOnHost(bed, hostName, cmd.argv, opts);
  };
}

function spawnCollect(
  file: string,
  args: readonly string[],
  stdin: string | Buffer | undefined,
  timeoutMs: number,
): Promise<SshRunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString("utf8");
      resolve({
        code: code ?? 255,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: signal === null ? stderr : `${stderr}killed by ${signal} after ${timeoutMs} ms`,
      });
    });
    child.stdin.end(stdin ?? "");
  });
}
