/**
 * Access to the test bed from tests: reads the inventory.json that `testbed.sh up` writes,
 * checks that every address routes through the test bed's bridge before anything connects,
 * and decides whether the integration tests can run here.
 *
 * The network rule: tests send traffic only to 127.0.0.0/8 and the test bed's addresses.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface TestbedHost {
  name: string;
  address: string;
  port: number;
  user: string;
}

export interface Testbed {
  dir: string;
  hosts: TestbedHost[];
  sshKey: string;
  knownHosts: string;
  sshConfig: string;
  gateway: string;
  registry: string;
  image: string;
  bridge: string;
}

export function testbedDir(): string {
  return process.env.TESTBED_DIR ?? "/var/tmp/kolla-testbed";
}

/** Why the test bed cannot be used here, or undefined when it can. */
export function testbedUnavailableReason(dir = testbedDir()): string | undefined {
  if (process.getuid?.() !== 0) return "the test bed needs root";
  const inv = join(dir, "inventory.json");
  if (!existsSync(inv)) return `no test bed is up (${inv} is missing; run tests/testbed/testbed.sh up 3)`;
  return undefined;
}

/**
 * True when a missing test bed must fail the run instead of skipping:
 * the README's test command sets KOLLA_TESTBED_REQUIRED=1, so CI is never silently green.
 */
export function testbedRequired(): boolean {
  return process.env.KOLLA_TESTBED_REQUIRED === "1";
}

export function loadTestbed(dir = testbedDir()): Testbed {
  const raw = JSON.parse(readFileSync(join(dir, "inventory.json"), "utf8")) as Omit<Testbed, "dir" | "bridge"> & {
    bridge?: string;
  };
  const prefix = process.env.TESTBED_PREFIX ?? "kt";
  const bed: Testbed = { ...raw, dir, bridge: raw.bridge ?? `${prefix}-br0` };
  for (const h of bed.hosts) assertRoutesViaBridge(h.address, bed.bridge);
  return bed;
}

/** Refuses an address unless the kernel would send it out of the test bed's own bridge. */
export function assertRoutesViaBridge(address: string, bridge: string): void {
  const route = execFileSync("ip", ["-o", "route", "get", address], { encoding: "utf8" });
  if (!route.includes(` dev ${bridge} `)) {
    throw new Error(`refusing to connect to ${address}: it does not route via ${bridge} (${route.trim()})`);
  }
}
