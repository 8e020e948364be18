/**
 * Host key checking against the test bed's real sshd keys: unknown keys are refused in strict
 * mode, recorded by accept-new, accepted unrecorded by `no`; a changed key always fails;
 * OpenSSH-hashed known_hosts entries work.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import type { DeployError } from "../../src/errors.js";
import { machineSettingsEnv, TransportPool, type HostKeyMode } from "../../src/exec/index.js";
import { describeTestbed, loadTestbed, type Testbed, type TestbedHost } from "../helpers/testbed.js";

const env = { ...machineSettingsEnv(), agentSocket: undefined };

/** The bed's known_hosts lines, one per host address. */
function keyLine(bed: Testbed, host: TestbedHost): string {
  const line = readFileSync(bed.knownHosts, "utf8")
    .split("\n")
    .find((l) => l.split(" ")[0]!.split(",").includes(host.address));
  if (line === undefined) throw new Error(`no known_hosts line for ${host.address}`);
  return line;
}

function connectWith(bed: Testbed, host: TestbedHost, knownHosts: string, mode?: HostKeyMode): Promise<string> {
  const vars = {
    ansible_host: host.address,
    ansible_user: host.user,
    ansible_port: String(host.port),
    ansible_ssh_private_key_file: bed.sshKey,
    ansible_ssh_common_args: `-o UserKnownHostsFile=${knownHosts}`,
  };
  const pool = new TransportPool([{ name: host.name, vars }], { env, ...(mode === undefined ? {} : { hostKeyMode: mode }) });
  return pool
    .get(host.name)
    .run({ argv: ["hostname"] })
    .then((r) => r.stdout.trim())
    .finally(() => pool.closeAll());
}

async function failure(promise: Promise<unknown>): Promise<DeployError> {
  try {
    await promise;
  } catch (error) {
    return error as DeployError;
  }
  throw new Error("expected the connection to be refused");
}

describeTestbed("host key checking on the test bed", () => {
  let bed: Testbed;
  let dir: string;
  let node1: TestbedHost;
  let node2: TestbedHost;
  beforeAll(() => {
    bed = loadTestbed();
    dir = mkdtempSync(join(tmpdir(), "kd-hostkeys-"));
    [node1, node2] = [bed.hosts[0]!, bed.hosts[1]!];
  });

  it("strict refuses an unknown key with its SHA256 fingerprint and a hint; accept-new records it", async () => {
    const file = join(dir, "unknown_then_accepted");
    writeFileSync(file, `${keyLine(bed, node2)}\n`);
    const refused = await failure(connectWith(bed, node1, file));
    expect(refused.code).toBe("E_HOST_KEY_UNKNOWN");
    expect(refused.host).toBe(node1.name);
    expect(refused.oneLine()).toMatch(/SHA256:[A-Za-z0-9+/]{43}.*hint: .*accept-new/);

    expect(await connectWith(bed, node1, file, "accept-new")).toBe(node1.name);
    const recorded = readFileSync(file, "utf8").split("\n").find((l) => l.startsWith(`${node1.address} `));
    expect(recorded?.split(" ").slice(1, 3)).toEqual(keyLine(bed, node1).split(" ").slice(1, 3));
    expect(await connectWith(bed, node1, file, "strict")).toBe(node1.name);
  });

  it("`no` accepts an unknown key without recording it", async () => {
    const file = join(dir, "no_mode");
    writeFileSync(file, "");
    expect(await connectWith(bed, node1, file, "no")).toBe(node1.name);
    expect(readFileSync(file, "utf8")).toBe("");
  });

  it("a changed key is refused in every mode, naming the host", async () => {
    const file = join(dir, "changed");
    const otherKey = keyLine(bed, node2).split(" ").slice(1).join(" ");
    writeFileSync(file, `${node1.address} ${otherKey}\n`);
    for (const mode of ["strict", "accept-new", "no"] as const) {
      const refused = await failure(connectWith(bed, node1, file, mode));
      expect(refused.code).toBe("E_HOST_KEY_CHANGED");
      expect(refused.oneLine()).toMatch(new RegExp(`^host ${node1.name}: HOST KEY CHANGED for ${node1.address.replace(/\./g, "\\.")}:22.*${file}:1`));
    }
    expect(readFileSync(file, "utf8")).toBe(`${node1.address} ${otherKey}\n`);
  });

  it("works with entries hashed by ssh-keygen -H", async () => {
    const file = join(dir, "hashed");
    writeFileSync(file, `${keyLine(bed, node1)}\n`);
    execFileSync("ssh-keygen", ["-H", "-f", file], { stdio: "ignore" });
    expect(readFileSync(file, "utf8")).toMatch(/^\|1\|/);
    expect(await connectWith(bed, node1, file)).toBe(node1.name);
  });
});
