/**
 * Connection settings for one host, resolved as Ansible + OpenSSH users expect:
 * inventory variables > ssh args (ansible_ssh_common_args/extra_args) > ssh config > defaults.
 * Pure: every file read and environment lookup goes through SettingsEnv.
 */
import { DeployError } from "../errors.js";
import { parseSshArgs } from "./ssh-args.js";
import { parseSshConfig, resolveSshConfig } from "./ssh-config.js";
import { emptyOptionSet, parsePort, type SshOptionSet } from "./ssh-options.js";
import { parseJumpSpec, resolveJumps, type JumpSettings } from "./settings-jump.js";
import { expandSshPath, parseHostKeyMode, type HostKeyMode, type SettingsEnv } from "./settings-env.js";

/** A host's inventory variables (the inventory's Vars, by shape: exec reads only the ansible_* connection ones). */
export type HostVars = Readonly<Record<string, unknown>>;

export type { SettingsEnv } from "./settings-env.js";
export type { JumpSettings } from "./settings-jump.js";

export interface ConnectionSettings {
  /** inventory_hostname */
  readonly host: string;
  /** ansible_connection=local: run with child_process, no SSH. */
  readonly local: boolean;
  readonly address: string;
  readonly port: number;
  readonly user: string;
  /** Private key files to try, in order (explicit ones, else the defaults that exist). */
  readonly identityFiles: readonly string[];
  /** ssh-agent socket, unless IdentitiesOnly or no SSH_AUTH_SOCK. */
  readonly agentSocket: string | undefined;
  readonly knownHostsFiles: readonly string[];
  /** Where accept-new records a new key (the first user known_hosts file). */
  readonly knownHostsWriteFile: string | undefined;
  /** The name host keys are looked up by (HostKeyAlias, else the address). */
  readonly hostKeyName: string;
  /** StrictHostKeyChecking from ssh args or config, if any. */
  readonly hostKeyMode: HostKeyMode | undefined;
  /** Jump hosts to go through, outermost first. */
  readonly jumps: readonly JumpSettings[];
  readonly connectTimeoutMs: number | undefined;
  readonly keepaliveIntervalMs: number | undefined;
  readonly become: boolean;
  readonly becomeUser: string;
}

/** Resolves one host's settings; throws E_SSH_SETTINGS naming the host and the variable. */
export function resolveConnectionSettings(host: string, vars: HostVars, env: SettingsEnv): ConnectionSettings {
  const fromArgs = sshArgsOptions(host, vars);
  const address = stringVar(vars, "ansible_host", "ansible_ssh_host") ?? fromArgs.hostName ?? host;
  const configText = readSshConfigs(fromArgs, env);
  const options = resolveSshConfig(parseSshConfig(configText), address, fromArgs);
  const user = stringVar(vars, "ansible_user", "ansible_ssh_user") ?? options.user ?? env.localUser;
  const port = portVar(host, vars) ?? options.port ?? 22;
  const hostName = stringVar(vars, "ansible_host", "ansible_ssh_host") ?? options.hostName ?? address;
  const expand = (p: string): string => expandSshPath(p, { env, host: hostName, port, user });
  const explicitKey = stringVar(vars, "ansible_ssh_private_key_file", "ansible_private_key_file");
  const explicitKeys = [...(explicitKey === undefined ? [] : [explicitKey]), ...options.identityFiles].map(expand);
  const identityFiles = explicitKeys.length > 0 ? explicitKeys : defaultIdentityFiles(env);
  const known = knownHostsFiles(options, expand, env);
  const connection = stringVar(vars, "ansible_connection") ?? "ssh";
  return {
    host,
    local: connection === "local",
    address: hostName,
    port,
    user,
    identityFiles,
    agentSocket: options.identitiesOnly === true ? undefined : env.agentSocket,
    knownHostsFiles: known.files,
    knownHostsWriteFile: known.writeFile,
    hostKeyName: options.hostKeyAlias ?? hostName,
    hostKeyMode: hostKeyModeOf(host, vars, options),
    jumps: jumpsOf(host, options, { configText, env, targetKeys: identityFiles, known: known.files }),
    connectTimeoutMs: options.connectTimeout === undefined ? undefined : options.connectTimeout * 1000,
    keepaliveIntervalMs: options.serverAliveInterval === undefined ? undefined : options.serverAliveInterval * 1000,
    ...becomeOf(host, vars),
  };
}

function sshArgsOptions(host: string, vars: HostVars): SshOptionSet {
  const args = ["ansible_ssh_common_args", "ansible_ssh_extra_args"]
    .map((key) => stringVar(vars, key))
    .filter((v): v is string => v !== undefined);
  try {
    return parseSshArgs(args, emptyOptionSet());
  } catch (error) {
    throw settingsError(host, "ansible_ssh_common_args/ansible_ssh_extra_args", (error as Error).message, error);
  }
}

/** `-F file` replaces the user's config (and, as in OpenSSH, the system one). */
function readSshConfigs(options: SshOptionSet, env: SettingsEnv): string {
  if (options.configFile !== undefined) {
    return env.readFile(expandSshPath(options.configFile, { env, host: "", port: 22, user: env.localUser })) ?? "";
  }
  return [env.readFile(`${env.home}/.ssh/config`), env.readFile("/etc/ssh/ssh_config")]
    .filter((t): t is string => t !== undefined)
    .join("\n");
}

function knownHostsFiles(
  options: SshOptionSet,
  expand: (p: string) => string,
  env: SettingsEnv,
): { files: string[]; writeFile: string | undefined } {
  const user = (options.userKnownHostsFiles ?? [`${env.home}/.ssh/known_hosts`, `${env.home}/.ssh/known_hosts2`])
    .filter((f) => f.toLowerCase() !== "none")
    .map(expand);
  const global = (options.globalKnownHostsFiles ?? ["/etc/ssh/ssh_known_hosts", "/etc/ssh/ssh_known_hosts2"])
    .filter((f) => f.toLowerCase() !== "none")
    .map(expand);
  return { files: [...user, ...global], writeFile: user[0] };
}

function defaultIdentityFiles(env: SettingsEnv): string[] {
  return ["id_ed25519", "id_ecdsa", "id_rsa"].map((n) => `${env.home}/.ssh/${n}`).filter((p) => env.fileExists(p));
}

function hostKeyModeOf(host: string, vars: HostVars, options: SshOptionSet): HostKeyMode | undefined {
  const checking = boolVar(host, vars, "ansible_host_key_checking") ?? boolVar(host, vars, "ansible_ssh_host_key_checking");
  if (checking === false) return "no";
  if (options.strictHostKeyChecking === undefined) return undefined;
  const mode = parseHostKeyMode(options.strictHostKeyChecking);
  if (mode === undefined) {
    throw settingsError(host, "StrictHostKeyChecking", `unknown value "${options.strictHostKeyChecking}"`);
  }
  return mode;
}

function jumpsOf(
  host: string,
  options: SshOptionSet,
  ctx: { configText: string; env: SettingsEnv; targetKeys: string[]; known: string[] },
): JumpSettings[] {
  if (options.proxyJump === undefined || options.proxyJump.toLowerCase() === "none") return [];
  try {
    const specs = parseJumpSpec(options.proxyJump);
    return resolveJumps(specs, parseSshConfig(ctx.configText), ctx);
  } catch (error) {
    throw settingsError(host, "ProxyJump", (error as Error).message, error);
  }
}

function becomeOf(host: string, vars: HostVars): { become: boolean; becomeUser: string } {
  const become = boolVar(host, vars, "ansible_become") ?? false;
  const method = stringVar(vars, "ansible_become_method") ?? "sudo";
  if (become && method !== "sudo") {
    throw settingsError(host, "ansible_become_method", `"${method}" is not supported (only sudo)`);
  }
  return { become, becomeUser: stringVar(vars, "ansible_become_user") ?? "root" };
}

function stringVar(vars: HostVars, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = vars[key];
    if (typeof value === "string" && value !== "") return value;
    if (typeof value === "number") return String(value);
  }
  return undefined;
}

function portVar(host: string, vars: HostVars): number | undefined {
  const raw = stringVar(vars, "ansible_port", "ansible_ssh_port");
  if (raw === undefined) return undefined;
  try {
    return parsePort(raw);
  } catch (error) {
    throw settingsError(host, "ansible_port", (error as Error).message, error);
  }
}

/** Ansible's boolean spellings. */
function boolVar(host: string, vars: HostVars, key: string): boolean | undefined {
  const value = vars[key];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "boolean") return value;
  const text = String(value).toLowerCase();
  if (["true", "yes", "on", "1", "y", "t"].includes(text)) return true;
  if (["false", "no", "off", "0", "n", "f"].includes(text)) return false;
  throw settingsError(host, key, `expected a boolean, got "${String(value)}"`);
}

function settingsError(host: string, key: string, message: string, cause?: unknown): DeployError {
  return new DeployError(
    "E_SSH_SETTINGS",
    `${key}: ${message}`,
    "fix this host's connection variables in the inventory (or its ssh args / ssh config)",
    { host, cause },
  );
}
