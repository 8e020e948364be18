/**
 * The runner's own SSH to bench hosts (recording engine outputs, timing a restart on the host
 * itself): the system ssh client, strict host keys, and a route check before every connection so
 * traffic only ever goes out of the bench's own bridge (the network rule).
 */
import { execFileSync, spawn } from "node:child_process";

export interface RemoteHost {
  readonly name: string;
  readonly address: string;
  readonly key: string;
  readonly knownHosts: string;
  readonly bridge: string;
}

export function assertRoutesVia(address: string, bridge: string): void {
  const route = execFileSync("ip", ["-o", "route", "get", address], { encoding: "utf8" });
  if (!route.includes(` dev ${bridge} `)) throw new Error(`refusing to connect to ${address}: it does not route via ${bridge} (${route.trim()})`);
}

function sshArgs(host: RemoteHost, script: string): string[] {
  return [
    "-F", "/dev/null", "-i", host.key, "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
    "-o", `UserKnownHostsFile=${host.knownHosts}`, "-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=10",
    "-o", "LogLevel=ERROR", `root@${host.address}`, script,
  ];
}

/** Runs a shell command on the host as root; rejects with its stderr when it fails. */
export function sshRun(host: RemoteHost, script: string): Promise<string> {
  assertRoutesVia(host.address, host.bridge);
  return new Promise((resolve, reject) => {
    const child = spawn("ssh", sshArgs(host, script), { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString("utf8"));
      else reject(new Error(`ssh ${host.name} failed (${code}): ${Buffer.concat(err).toString("utf8").trim()}`));
    });
  });
}
