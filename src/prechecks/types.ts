/**
 * The shapes of a prechecks run: what each host is expected to offer (derived from the
 * configuration), what one probe exec found there, and the verdict per host and check.
 */
import type { DeployError } from "../errors.js";

/** Checks run on every host, in table order. */
export const HOST_CHECKS = ["sudo", "engine", "disk", "interfaces", "vip", "ports"] as const;
export type HostCheck = (typeof HOST_CHECKS)[number];

/** Checks of the deployment host's own inputs (no exec). */
export const DEPLOYMENT_CHECKS = ["passwords", "groups"] as const;
export type DeploymentCheck = (typeof DEPLOYMENT_CHECKS)[number];

export type CheckName = HostCheck | DeploymentCheck;

/** ok: passed; fail: see problems; n/a: nothing to check on this host. */
export type CheckStatus = "ok" | "fail" | "n/a";

export interface CheckOutcome {
  readonly check: CheckName;
  readonly status: CheckStatus;
  /** Short text for a passing check, e.g. "docker 28.2.2". */
  readonly note: string;
  /** One DeployError per problem, each a complete one-line message with a hint. */
  readonly problems: readonly DeployError[];
}

export interface HostReport {
  readonly host: string;
  /** Set when the host could not be probed at all; checks is then empty. */
  readonly unreachable?: DeployError;
  readonly checks: readonly CheckOutcome[];
}

export interface PrecheckReport {
  readonly hosts: readonly HostReport[];
  readonly deployment: readonly CheckOutcome[];
}

/** A configured interface a host must have (kolla's `*_interface` variables). */
export interface InterfaceNeed {
  readonly variable: string;
  readonly iface: string;
  /** false for interfaces kolla hands to a bridge without an IP (neutron_external_interface, the external VIP's). */
  readonly needsAddress: boolean;
  /** Where the variable's value was set, e.g. `/etc/kolla/globals.yml:12`. */
  readonly origin?: string;
}

export interface VipNeed {
  readonly address: string;
  /** kolla_internal_vip_address or kolla_external_vip_address */
  readonly variable: string;
}

/** A TCP port one of our containers will listen on. */
export interface PortNeed {
  readonly port: number;
  /** The address it binds to when known (a VIP for haproxy frontends); undefined = the host's api address. */
  readonly bindAddress?: string;
  /** What asks for it, e.g. "memcached_port" or "haproxy frontend keystone_internal". */
  readonly label: string;
  /** The container of ours that listens there; its running means the port is rightly taken. */
  readonly container: string;
}

/** Everything the configuration says about one host, computed before any host is touched. */
export interface HostExpectations {
  readonly host: string;
  readonly engine: "docker" | "podman";
  readonly interfaces: readonly InterfaceNeed[];
  /** Configuration problems found while computing the needs (e.g. an interface variable unset). */
  readonly configProblems: readonly DeployError[];
  readonly ports: readonly PortNeed[];
  /** VIPs this host pings (keepalived hosts only); empty elsewhere. */
  readonly pingVips: readonly string[];
  /** Every VIP of the deployment (when keepalived is enabled), checked against every host's addresses. */
  readonly vips: readonly VipNeed[];
  readonly keepalivedContainer: string | undefined;
  readonly minDiskGb: number;
}

export interface Listener {
  readonly address: string;
  readonly port: number;
  /** e.g. `nc (pid 123)`; undefined when the socket list carries no process. */
  readonly process?: string;
}

export interface LinkInfo {
  readonly name: string;
  readonly up: boolean;
}

/** What one probe exec learned about a host. Fields are undefined when that query failed. */
export interface HostProbe {
  /** The user the probe ran as, and the login user sudo came from (empty without sudo). */
  readonly identity: { readonly user: string; readonly sudoUser: string };
  /** Set when sudo was refused and the probe ran again without it. */
  readonly sudoError?: DeployError;
  readonly engineVersion: { readonly code: number; readonly output: string };
  /** `<engine> info`: whether the engine answers, and its data root. */
  readonly engineInfo: { readonly answers: boolean; readonly root: string; readonly error: string };
  /** Free kibibytes on the filesystem holding the data root. */
  readonly diskFreeKb?: number;
  readonly links: readonly LinkInfo[];
  /** interface name → addresses (IPv4 and IPv6, without prefix length) */
  readonly addresses: Readonly<Record<string, readonly string[]>>;
  readonly listeners?: readonly Listener[];
  /** Running container names; undefined when the engine could not be asked. */
  readonly running?: readonly string[];
  /** VIP → answered a ping; undefined when no ping tool was found. */
  readonly vipAnswers?: Readonly<Record<string, boolean>>;
}
