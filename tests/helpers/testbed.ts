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
import { describe, it } from "vitest";

export interface TestbedHost {
  name: string;
  address: string;
  port: number;
  user: string;
  /** "none" on a bare host (TESTBED_BARE): no dockerd, no docker/podman binaries. */
  engine?: "docker" | "none";
  /** podman usable on this host (TESTBED_PODMAN=1 and not bare). */
  podman?: boolean;
  /** a non-root user with the same key and passwordless sudo (TESTBED_SUDO_USER). */
  sudoUser?: string;
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
  /** kolla-style INI inventory of the same hosts (older test beds did not write it). */
  inventoryIni?: string;
  prefix?: string;
  /** eth1's network on every host (neutron's provider network); this machine is its .1. */
  external?: { bridge: string; gateway: string; cidr: string };
  /** the MTU of the bed's links (TESTBED_MTU). */
  mtu?: number;
}

export function testbedDir(): string {
  return process.env.TESTBED_DIR ?? "/var/tmp/kolla-testbed";
}

/** Why the test bed cannot be used here, or undefined when it can. */
export function testbedUnavailableReason(dir = testbedDir()): string | undefined {
  if (process.getuid?.() !== 0) return "the test bed needs root";
  const inv = join(dir, "inventory.json");
  if (!existsSync(inv)) return `no test bed is up (${inv} is missing; run tests/testbed/testbed.sh up 3)`;
  const bridge = bridgeOf(inv);
  if (!existsSync(`/sys/class/net/${bridge}`)) {
    return `the test bed in ${dir} is not running (no bridge ${bridge}; run tests/testbed/testbed.sh up 3)`;
  }
  return undefined;
}

function bridgeOf(inventoryJson: string): string {
  const raw = JSON.parse(readFileSync(inventoryJson, "utf8")) as { bridge?: string };
  return raw.bridge ?? `${process.env.TESTBED_PREFIX ?? "kt"}-br0`;
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

/** Refuses the gateway (the registry's address) unless it sits on the test bed's own bridge. */
export function assertGatewayOnBridge(bed: Testbed): void {
  const addrs = execFileSync("ip", ["-o", "-4", "addr", "show", "dev", bed.bridge], { encoding: "utf8" });
  if (!addrs.includes(` ${bed.gateway}/`)) {
    throw new Error(`refusing to connect to ${bed.gateway}: it is not an address of ${bed.bridge}`);
  }
}

/**
 * `describe` for tests that need the test bed: where it cannot run (not root, not up) the
 * suite is skipped with the reason printed, unless KOLLA_TESTBED_REQUIRED=1, where the
 * suite fails instead so a CI run is never silently green. `needsRunningBed: false` is for
 * suites that start their own test bed instance (they need root, not the default bed).
 */
export function describeTestbed(name: string, fn: () => void, opts: { needsRunningBed?: boolean } = {}): void {
  const reason = opts.needsRunningBed === false ? rootReason() : testbedUnavailableReason();
  if (reason === undefined) {
    describe(name, fn);
    return;
  }
  if (testbedRequired()) {
    describe(name, () => {
      it("needs the test bed (KOLLA_TESTBED_REQUIRED=1)", () => {
        throw new Error(`test bed required but unavailable: ${reason}`);
      });
    });
    return;
  }
  console.warn(`[testbed] skipping "${name}": ${reason}`);
  describe.skip(name, fn);
}

function rootReason(): string | undefined {
  return process.getuid?.() === 0 ? undefined : "the test bed needs root";
}

/** The host called `name` in the test bed, or an error naming the hosts there are. */
export function testbedHost(bed: Testbed, name: string): TestbedHost {
  const host = bed.hosts.find((h) => h.name === name);
  if (host === undefined) throw new Error(`no host ${name} in the test bed (${bed.hosts.map((h) => h.name).join(", ")})`);
  return host;
}
