/**
 * The shapes of a prechecks run: what each host is expected to offer (derived from the
 * configuration), what one probe exec found there, and the verdict per host and check.
 */
import type { DeployError } from "../errors.js";

/** Checks run on every host, in table order. */
export const HOST_CHECKS = ["sudo", "engine", "disk", "interfaces", "vip", "ports", "compute"] as const;
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
  /** What nova's compute containers need here; undefined when neither nova-compute nor nova-libvirt runs here. */
  readonly compute?: ComputeNeeds;
}

/** The rlimits qemu.conf sets on every guest's qemu process (libvirtd applies them at domain start). */
export type QemuResource = "nofile" | "nproc";

export interface QemuLimitNeed {
  /** qemu_max_files or qemu_max_processes */
  readonly variable: string;
  readonly resource: QemuResource;
  readonly value: number;
}

/** A ulimit nova_libvirt's dimensions give it (`nofile`, or podman's `RLIMIT_NOFILE`, normalised); hard null = unlimited. */
export interface ContainerUlimit {
  readonly name: string;
  readonly hard: number | null;
}

export interface ComputeNeeds {
  /** nova_compute_virt_type when nova-compute runs here ("kvm" needs /dev/kvm); undefined otherwise. */
  readonly virtType?: string;
  /** nova_libvirt's container name when it runs here: the host's own libvirt must be off and the qemu limits must fit. */
  readonly libvirtContainer?: string;
  /** Empty when nova_libvirt does not run here. */
  readonly qemuLimits: readonly QemuLimitNeed[];
  /** nova_libvirt's own ulimits (from `libvirtDimensions`); they replace what the engine passes on. */
  readonly libvirtUlimits: readonly ContainerUlimit[];
  /** The variable holding nova_libvirt's kolla dimensions, e.g. nova_libvirt_dimensions. */
  readonly libvirtDimensions: string;
  /** nova_libvirt is privileged (or adds SYS_RESOURCE): it may raise hard limits where the engine has that capability. */
  readonly libvirtMayRaise: boolean;
}

/** A process's hard limits as /proc/<pid>/limits says; null = unlimited, absent = not listed. */
export interface HardLimits {
  readonly nofile?: number | null;
  readonly nproc?: number | null;
}

/** A process whose limits containers inherit: containerd or dockerd (docker), the probe's shell (podman). */
export interface LimitSource {
  readonly process: string;
  readonly pid: number;
  readonly limits: HardLimits;
  /**
   * CAP_SYS_RESOURCE is in its bounding set and it runs in the initial user namespace: a privileged
   * container it starts may raise a hard limit (setrlimit checks the capability there).
   */
  readonly canRaise: boolean;
}

/** What the probe learned on a compute host. */
export interface ComputeProbe {
  /** /dev/kvm: a character device, something else, or absent. */
  readonly kvm: "chr" | "other" | "missing";
  /** A libvirt socket of the host's own (/run/libvirt/libvirt-sock) exists. */
  readonly hostLibvirtSocket: boolean;
  /** In the order read, the one containers inherit from first; empty when no engine process was found. */
  readonly limitSources: readonly LimitSource[];
  /** fs.nr_open: no open-files limit can exceed it, capability or not. */
  readonly nrOpen?: number;
  /** kernel.pid_max: podman 4's built-in default nproc ulimit. */
  readonly pidMax?: number;
  /** The engine's config files that can set default ulimits (daemon.json; podman's containers.conf files), in precedence order. */
  readonly engineConfigs: readonly { readonly path: string; readonly text: string }[];
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
  /** Probed only where the expectations carry compute needs. */
  readonly compute?: ComputeProbe;
}
