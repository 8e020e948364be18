/**
 * The network rule for pushes: a registry must be on loopback, or a 198.18.0.0/15 address that this
 * machine reaches through a local bridge (the test bed's). Checked before any byte is sent.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { DeployError } from "../errors.js";

export interface RegistryAddress {
  readonly host: string;
  readonly port: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Parses HOST:PORT where HOST is an IPv4 address (pure). */
export function parseRegistry(registry: string): RegistryAddress {
  const match = /^([^:]+):(\d{1,5})$/.exec(registry);
  const host = match?.[1] ?? "";
  const octets = IPV4.exec(host)?.slice(1).map(Number);
  if (match === null || octets === undefined || octets.some((o) => o > 255)) {
    throw new DeployError("E_BUILD_REGISTRY", `registry "${registry}" is not IPV4:PORT`, "e.g. --registry 198.18.0.1:5000");
  }
  return { host, port: Number(match[2]) };
}

/** Which class of address it is (pure): loopback, test-bed range, or anything else. */
export function addressClass(host: string): "loopback" | "testbed" | "other" {
  const [a, b] = host.split(".").map(Number);
  if (a === 127) return "loopback";
  if (a === 198 && (b === 18 || b === 19)) return "testbed";
  return "other";
}

/** The device named in `ip -o route get` or `ip -o addr show to` output (pure). */
export function deviceOf(ipOutput: string): string | undefined {
  return / dev (\S+)/.exec(ipOutput)?.[1] ?? /^\d+:\s+(\S+)\s/.exec(ipOutput)?.[1];
}

export function assertRegistryReachableSafely(registry: string): RegistryAddress {
  const address = parseRegistry(registry);
  const kind = addressClass(address.host);
  if (kind === "loopback") return address;
  if (kind === "other") {
    throw new DeployError("E_BUILD_REGISTRY_ROUTE", `refusing registry ${address.host}: not in 127.0.0.0/8 or 198.18.0.0/15`, "push to a loopback or test bed registry");
  }
  // The registry usually sits on the bridge's own address, which routes via lo: ask which device holds it.
  const local = execFileSync("ip", ["-o", "addr", "show", "to", `${address.host}/32`], { encoding: "utf8" });
  const dev = deviceOf(local) ?? deviceOf(execFileSync("ip", ["-o", "route", "get", address.host], { encoding: "utf8" }));
  if (dev === undefined || !existsSync(`/sys/class/net/${dev}/bridge`)) {
    throw new DeployError("E_BUILD_REGISTRY_ROUTE", `refusing registry ${address.host}: it is not reached through a local bridge (dev ${dev ?? "none"})`, "is the test bed up? see docs/testbed.md");
  }
  return address;
}
