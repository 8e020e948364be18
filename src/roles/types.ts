/**
 * Roles as data: the validated, typed form of `roles/<role>/role.yml`.
 *
 * Fields documented as "template" are handlebars strings rendered later against the target host's
 * variables; fields documented as "variable name" are bare names looked up in those variables.
 * Nothing here is rendered yet: the loader only checks shape, so a role can be validated without
 * an inventory. See docs/roles.md for the file format.
 */

/** Where a value came from, so later stages can still point at `roles/x/role.yml:12`. */
export interface RoleLocation {
  readonly file: string;
  readonly line?: number;
}

/**
 * How a config file's sources combine (kolla's per-file behaviour):
 * - `ini`: kolla merge_configs — built-in template, then every override that exists, merged per key.
 * - `yaml`: kolla merge_yaml — deep merge in the same order (`extendLists` concatenates lists).
 * - `whole_file`: the first override that exists replaces the file; else the built-in template.
 * - `template`: the built-in template only; no overrides are looked up.
 * Override files are rendered with the same handlebars variables as the built-in template.
 */
export type MergeKind = "ini" | "yaml" | "whole_file" | "template";

export interface ConfigFile {
  /** File name under `<node_config_directory>/<service key>/`, e.g. `nova.conf`. */
  readonly dest: string;
  /** Built-in template file name under `roles/<role>/templates/`. */
  readonly template: string;
  readonly merge: MergeKind;
  /** Override source paths on the deployment host (templates), in kolla's order. */
  readonly overrides: readonly string[];
  /** `yaml` only: concatenate lists present in both sides (merge_yaml extend_lists). */
  readonly extendLists: boolean;
  /** Octal file mode on the target. */
  readonly mode: string;
  /** Variable names that must all be true for this file to be written; empty = always. */
  readonly enabled: readonly string[];
  readonly where: RoleLocation;
}

/** One container: an entry of kolla's `<project>_services` dict. */
export interface ServiceDef {
  /** The services-dict key, e.g. `nova-api`; also the config directory name. */
  readonly key: string;
  readonly containerName: string;
  /** Inventory groups; the container runs on a host in any of them (in inventory order). */
  readonly groups: readonly string[];
  /** Variable names that must all be true (kolla `| bool`) for the container to exist. */
  readonly enabled: readonly string[];
  /** Template. */
  readonly image: string;
  /** Template; absent means the image's own command (kolla_start). */
  readonly command?: string;
  /** Values are templates. */
  readonly environment: Readonly<Record<string, string>>;
  /** Templates; entries rendering to "" are dropped (kolla's conditional volumes). */
  readonly volumes: readonly string[];
  /** Variable name of a list of extra volumes appended after `volumes` (kolla `<x>_extra_volumes`). */
  readonly extraVolumes?: string;
  /** Variable name of a kolla dimensions mapping (e.g. `keystone_dimensions`). */
  readonly dimensions?: string;
  /** Variable name of a kolla healthcheck mapping {interval, retries, start_period, test, timeout}. */
  readonly healthcheck?: string;
  readonly privileged: boolean;
  readonly pidMode?: string;
  readonly ipcMode?: string;
  readonly cgroupnsMode?: string;
  readonly capAdd: readonly string[];
  readonly securityOpt: readonly string[];
  readonly tmpfs: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  /** Template file rendering this container's kolla `config.json`. */
  readonly configJson: string;
  readonly configFiles: readonly ConfigFile[];
  readonly where: RoleLocation;
}

/** A haproxy frontend/backend pair a role asks the loadbalancer role to serve. */
export interface HaproxyFrontend {
  /** e.g. `keystone_internal`; unique across all roles. */
  readonly name: string;
  /** Service key whose group's hosts are the backends. */
  readonly service: string;
  readonly enabled: readonly string[];
  readonly mode: "http" | "tcp";
  /** true: bind on kolla_external_vip_address; false: kolla_internal_vip_address. */
  readonly external: boolean;
  /** Template: the port haproxy listens on. */
  readonly port: string;
  /** Template: the port the backends listen on. */
  readonly listenPort: string;
  /** First backend active, the others `backup` (kolla's active/passive members, e.g. mariadb). */
  readonly activePassive: boolean;
  readonly frontendExtra: readonly string[];
  readonly backendExtra: readonly string[];
  readonly where: RoleLocation;
}

/** When a bootstrap step runs inside one role's deploy. */
export type StepPhase =
  /** before config files are written (kolla register.yml); the service's own containers are not needed */
  | "register"
  /** after config, before the role's containers are (re)started (kolla bootstrap.yml) */
  | "bootstrap"
  /** after the role's containers run (kolla post-deploy tasks such as fernet init, discover_hosts) */
  | "post_start";

/** Which kolla action a step belongs to. */
export type StepAction = "deploy" | "upgrade";

interface StepBase {
  /** Service key: its groups pick the hosts (run-once = first host of the groups). */
  readonly service: string;
  readonly enabled: readonly string[];
  readonly phase: StepPhase;
  readonly actions: readonly StepAction[];
  readonly where: RoleLocation;
}

/** Create a database and a user with all privileges on it, through kolla_toolbox (run once). */
export interface DatabaseStep extends StepBase {
  readonly kind: "database";
  /** Templates. `password` is a secret. */
  readonly database: string;
  readonly user: string;
  readonly password: string;
}

/**
 * Run a throw-away container of the service's image, volumes and environment plus
 * KOLLA_BOOTSTRAP (mode bootstrap) or KOLLA_UPGRADE (mode upgrade), once, and fail on rc != 0.
 */
export interface OneShotStep extends StepBase {
  readonly kind: "one_shot";
  /** Template, e.g. `bootstrap_keystone`. */
  readonly containerName: string;
  readonly mode: "bootstrap" | "upgrade";
  /** Extra environment (templates) on top of the service's. */
  readonly environment: Readonly<Record<string, string>>;
}

/** Register a service, its endpoints and its service user in keystone (run once, via kolla_toolbox). */
export interface KeystoneRegisterStep extends StepBase {
  readonly kind: "keystone_register";
  /** Templates. `user.password` is a secret. */
  readonly serviceName: string;
  readonly serviceType: string;
  readonly description: string;
  readonly endpoints: { readonly internal: string; readonly public: string };
  readonly user?: { readonly name: string; readonly password: string };
  readonly project: string;
  readonly roles: readonly string[];
  readonly region: string;
}

/** `<engine> exec <container> argv...` on the first host (runOnce) or on every host of the groups. */
export interface ExecStep extends StepBase {
  readonly kind: "exec";
  /** Template: the container name to exec in. */
  readonly container: string;
  /** Templates; argv, never a shell string. */
  readonly command: readonly string[];
  readonly runOnce: boolean;
  /** Exit codes that count as success (e.g. 2 for "already exists"); default [0]. */
  readonly acceptExitCodes: readonly number[];
  /** Restrict to these groups instead of the service's (e.g. only `network` hosts); empty = the service's. */
  readonly groups: readonly string[];
  /** What plans and progress call the step, when the command's leading words do not say it (a script). */
  readonly description?: string;
  /**
   * Run again when the rendered command changes, not only when the image does: nova's compute
   * discovery takes the compute group's size, so a joining compute host makes it run again.
   */
  readonly rerunOnChange: boolean;
}

export type BootstrapStep = DatabaseStep | OneShotStep | KeystoneRegisterStep | ExecStep;

export interface Role {
  /** Directory name under roles/, also a tag. */
  readonly name: string;
  /** kolla `project_name`. */
  readonly project: string;
  /** Extra tags selecting this role besides its name (kolla play tags, e.g. haproxy, keepalived). */
  readonly tags: readonly string[];
  readonly services: readonly ServiceDef[];
  readonly haproxy: readonly HaproxyFrontend[];
  readonly bootstrap: readonly BootstrapStep[];
  /** Absolute paths. */
  readonly dir: string;
  readonly defaultsFile?: string;
  /** Template file names present under templates/. */
  readonly templates: readonly string[];
}
