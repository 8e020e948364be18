/**
 * Reads one host's bootstrap settings from its variables and checks them; every problem goes to the
 * Diagnostics with the file:line and key that set the value. Pure.
 */
import { ansibleBool } from "../ansible-bool.js";
import { DeployError, type Diagnostics, type SourceLocation } from "../errors.js";
import { dockerDaemonConfig } from "./engine-config.js";
import type { BootstrapSettings, EngineName, KollaUserSettings } from "./types.js";

/** How settings see a host's variables: a value, and where it was set. */
export interface VarReader {
  get(name: string): unknown;
  where(name: string): SourceLocation | undefined;
}

const ACCOUNT = /^[a-z_][a-z0-9_-]{0,31}$/;

class Reader {
  constructor(
    private readonly host: string,
    private readonly vars: VarReader,
    private readonly diags: Diagnostics,
  ) {}

  problem(name: string, message: string, hint: string): void {
    const where = this.vars.where(name) ?? { file: "variables", key: name };
    this.diags.add(new DeployError("E_BOOTSTRAP_VAR", message, hint, { where: { ...where, key: name }, host: this.host }));
  }

  raw(name: string): unknown {
    try {
      return this.vars.get(name);
    } catch (error) {
      if (!(error instanceof DeployError)) throw error;
      this.diags.add(error);
      return undefined;
    }
  }

  text(name: string): string {
    const v = this.raw(name);
    if (v === undefined || v === null) return "";
    if (typeof v === "object") {
      this.problem(name, `expected a string, got ${Array.isArray(v) ? "a list" : "a mapping"}`, `set ${name} to a plain value`);
      return "";
    }
    return String(v);
  }

  flag(name: string): boolean {
    return ansibleBool(this.raw(name));
  }

  /** A list of strings; a single string counts as a one-item list, an empty one as none. */
  list(name: string): string[] {
    const v = this.raw(name);
    if (v === undefined || v === null || v === "") return [];
    if (typeof v === "string") return [v];
    if (Array.isArray(v) && v.every((x) => typeof x === "string" || typeof x === "number")) return v.map(String);
    this.problem(name, "expected a list of strings", `e.g. ${name}: ["value"]`);
    return [];
  }

  /** A mapping; a JSON string (kolla's docker_custom_config default is one) is parsed. */
  mapping(name: string): Record<string, unknown> {
    let v = this.raw(name);
    if (typeof v === "string") {
      if (v.trim() === "") return {};
      try {
        v = JSON.parse(v);
      } catch {
        // reported below as not a mapping
      }
    }
    if (v === undefined || v === null) return {};
    if (typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
    this.problem(name, "expected a mapping (daemon.json keys and values)", `e.g. ${name}: {"live-restore": true}`);
    return {};
  }

  /** An optional whole number in [min, max]; "" or unset is undefined. */
  integer(name: string, min: number, max: number): number | undefined {
    const v = this.raw(name);
    if (v === undefined || v === null || v === "") return undefined;
    const n = typeof v === "number" ? v : Number(String(v).trim());
    if (Number.isInteger(n) && n >= min && n <= max) return n;
    this.problem(name, `expected a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`, `e.g. ${name}: 1450, or leave it unset`);
    return undefined;
  }
}

function engineOf(r: Reader): EngineName {
  const engine = r.text("kolla_container_engine") || "docker";
  if (engine === "docker" || engine === "podman") return engine;
  r.problem("kolla_container_engine", `unknown container engine "${engine}"`, "use docker or podman");
  return "docker";
}

function kollaUser(r: Reader, engine: EngineName): KollaUserSettings | undefined {
  if (!r.flag("create_kolla_user")) return undefined;
  const user = r.text("kolla_user");
  const group = r.text("kolla_group");
  for (const [name, value] of [["kolla_user", user], ["kolla_group", group]] as const) {
    if (!ACCOUNT.test(value)) r.problem(name, `"${value}" is not a valid user or group name`, "use lowercase letters, digits, _ and -");
  }
  const key = r.raw("kolla_ssh_key") as { public_key?: unknown } | undefined;
  const publicKey = typeof key?.public_key === "string" && key.public_key.trim() !== "" ? key.public_key.trim() : undefined;
  const groups = engine === "docker" ? ["sudo", "docker"] : ["sudo"];
  return { user, group, groups, publicKey, sudoers: r.flag("create_kolla_user_sudoers") };
}

function aptSources(r: Reader): string[] {
  const lines = r.list("kolla_apt_sources");
  for (const line of lines) {
    if (!/^deb(-src)? \S/.test(line) || /[\r\n]/.test(line)) {
      r.problem("kolla_apt_sources", `"${line}" is not a one-line apt source`, 'e.g. "deb [trusted=yes] http://mirror.example/debian ./"');
    }
  }
  return lines;
}

export function readSettings(host: string, vars: VarReader, diags: Diagnostics): BootstrapSettings {
  const r = new Reader(host, vars, diags);
  const engine = engineOf(r);
  // One MTU for the engine's network: daemon.json "mtu" for docker, the default network for podman.
  const mtu = r.integer("docker_mtu", 68, 65535);
  const dockerDaemon = dockerDaemonConfig({
    logMaxFile: r.text("docker_log_max_file"),
    logMaxSize: r.text("docker_log_max_size"),
    registry: r.text("docker_registry"),
    registryInsecure: r.flag("docker_registry_insecure"),
    registryMirrors: r.list("docker_registry_mirrors"),
    storageDriver: r.text("docker_storage_driver"),
    runtimeDirectory: r.text("docker_runtime_directory"),
    disableIptables: r.flag("docker_disable_default_iptables_rules"),
    disableNetwork: r.flag("docker_disable_default_network"),
    disableIpForward: r.flag("docker_disable_ip_forward"),
    mtu,
    custom: r.mapping("docker_custom_config"),
  });
  const podmanLocation = r.text("podman_registry");
  const configDir = r.text("node_config_directory") || "/etc/kolla";
  if (!configDir.startsWith("/")) r.problem("node_config_directory", `"${configDir}" is not an absolute path`, "e.g. /etc/kolla");
  return {
    engine,
    dockerDaemon,
    podmanMtu: engine === "podman" ? mtu : undefined,
    podmanRegistry: podmanLocation === "" ? undefined : { location: podmanLocation, insecure: r.flag("podman_registry_insecure") },
    enginePackage: engine === "docker"
      ? { apt: r.text("docker_apt_package"), dnf: r.text("docker_yum_package") }
      : { apt: r.text("podman_apt_package"), dnf: r.text("podman_yum_package") },
    aptSources: aptSources(r),
    yumRepo: { baseurl: r.text("kolla_yum_repo_baseurl"), gpgkey: r.text("kolla_yum_repo_gpgkey") },
    customizeEtcHosts: r.flag("customize_etc_hosts"),
    kollaUser: kollaUser(r, engine),
    configDir,
  };
}
