/**
 * The data of bootstrap-servers: what one host should look like (settings), what one exec learned
 * about it (state), and what has to change there (plan). All plain values; no I/O here.
 */
import type { FileUpload } from "../exec/types.js";
import type { HostFacts } from "../plan/host-context.js";

export type EngineName = "docker" | "podman";
export type PackageManager = "apt" | "dnf";

/** Everything bootstrap-servers wants on one host, read and validated from its variables. */
export interface BootstrapSettings {
  readonly engine: EngineName;
  /** docker: the whole /etc/docker/daemon.json as an object (kolla's docker_config). */
  readonly dockerDaemon: Readonly<Record<string, unknown>>;
  /** podman: docker_mtu, for the default network's definition files (podman-network.ts); undefined when unset. */
  readonly podmanMtu: number | undefined;
  /** podman: the registry written to registries.conf.d, or undefined for none. */
  readonly podmanRegistry: { readonly location: string; readonly insecure: boolean } | undefined;
  /** The package holding the engine, per package manager. */
  readonly enginePackage: Readonly<Record<PackageManager, string>>;
  /** apt source lines written to the host before installing (empty: no file, an old one is removed). */
  readonly aptSources: readonly string[];
  /** dnf: a repository baseurl written to the host before installing ("" for none). */
  readonly yumRepo: { readonly baseurl: string; readonly gpgkey: string };
  readonly customizeEtcHosts: boolean;
  /** kolla_user role: undefined when create_kolla_user is false. */
  readonly kollaUser: KollaUserSettings | undefined;
  /** node_config_directory */
  readonly configDir: string;
}

export interface KollaUserSettings {
  readonly user: string;
  readonly group: string;
  /** supplementary groups (sudo, plus docker with the docker engine) */
  readonly groups: readonly string[];
  /** kolla_ssh_key.public_key, when passwords.yml has one */
  readonly publicKey: string | undefined;
  readonly sudoers: boolean;
}

/** A file as read by the gather exec. */
export interface RemoteText {
  readonly content: string;
  readonly mode: number;
  readonly owner: string;
  readonly group: string;
}

/** What ONE exec learned about a host. */
export interface HostBootstrapState {
  readonly facts: HostFacts;
  readonly systemd: boolean;
  readonly packageManager: PackageManager | undefined;
  /** absolute path of each engine binary found (`command -v`), by name */
  readonly binaries: ReadonlySet<string>;
  /** the docker daemon answered `docker version` */
  readonly engineAnswers: boolean;
  /** systemctl is-enabled said enabled (always false without systemd) */
  readonly engineEnabled: boolean;
  /** managed files that exist, by path */
  readonly files: ReadonlyMap<string, RemoteText>;
  readonly groupsPresent: ReadonlySet<string>;
  /** the kolla user's groups (primary first), undefined when the user does not exist */
  readonly userGroups: readonly string[] | undefined;
  readonly authorizedKeys: string;
  readonly configDir: { readonly mode: number; readonly owner: string; readonly group: string } | undefined;
  readonly cloudInit: boolean;
}

export type ChangeKind = "file" | "package" | "account" | "directory" | "engine";

/** One line of a host's plan, as the operator reads it. */
export interface BootstrapChange {
  readonly kind: ChangeKind;
  readonly action: string;
  readonly target: string;
  readonly reason: string;
  /** unified diff of a file change (secrets redacted) */
  diff?: string;
}

export interface AccountWork {
  readonly user: string;
  readonly group: string;
  readonly groups: readonly string[];
  readonly createGroups: readonly string[];
  readonly createUser: boolean;
  readonly addToGroups: readonly string[];
  readonly publicKey: string | undefined;
}

export type EngineWork = "none" | "start" | "restart";

/** What the apply step does on one host, derived from settings and state. */
export interface HostBootstrapPlan {
  readonly host: string;
  readonly changes: readonly BootstrapChange[];
  /** written in one putFiles before anything is installed (daemon.json first, so the first start uses it) */
  readonly uploads: readonly FileUpload[];
  readonly removals: readonly string[];
  readonly install: { readonly manager: PackageManager; readonly packages: readonly string[]; readonly binaries: readonly string[] } | undefined;
  readonly account: AccountWork | undefined;
  /** owner and group unset: leave them as they are */
  readonly configDir: { readonly path: string; readonly owner?: string; readonly group?: string } | undefined;
  readonly engine: { readonly name: EngineName; readonly work: EngineWork; readonly enable: boolean; readonly systemd: boolean };
}

export function planHasWork(plan: HostBootstrapPlan): boolean {
  return plan.changes.length > 0;
}
