/**
 * The subset of OpenSSH client options we honour, shared by the command-line (`ssh` args in
 * ansible_ssh_common_args/extra_args) and ~/.ssh/config readers. As in OpenSSH, the first value
 * obtained for an option wins, except IdentityFile, which accumulates.
 */
export interface SshOptionSet {
  hostName?: string;
  user?: string;
  port?: number;
  identityFiles: string[];
  identitiesOnly?: boolean;
  proxyJump?: string;
  userKnownHostsFiles?: string[];
  globalKnownHostsFiles?: string[];
  strictHostKeyChecking?: string;
  hostKeyAlias?: string;
  /** Seconds, as in OpenSSH. */
  connectTimeout?: number;
  /** Seconds between keepalives (ServerAliveInterval). */
  serverAliveInterval?: number;
  /** `-F file`: read this instead of ~/.ssh/config (command line only). */
  configFile?: string;
}

export function emptyOptionSet(): SshOptionSet {
  return { identityFiles: [] };
}

/** Why an option value was refused; the caller turns it into a located DeployError. */
export class SshOptionError extends Error {}

/** Records `key value` in `set` unless an earlier value is already there. Unknown keys are ignored. */
export function applySshOption(set: SshOptionSet, rawKey: string, value: string): void {
  const key = rawKey.toLowerCase();
  switch (key) {
    case "hostname":
      set.hostName ??= value;
      return;
    case "user":
      set.user ??= value;
      return;
    case "port":
      set.port ??= parsePort(value);
      return;
    case "identityfile":
      if (value.toLowerCase() !== "none") set.identityFiles.push(value);
      return;
    case "identitiesonly":
      set.identitiesOnly ??= parseYesNo(key, value);
      return;
    case "proxyjump":
      set.proxyJump ??= value;
      return;
    case "userknownhostsfile":
      set.userKnownHostsFiles ??= value.split(/\s+/).filter((f) => f !== "");
      return;
    case "globalknownhostsfile":
      set.globalKnownHostsFiles ??= value.split(/\s+/).filter((f) => f !== "");
      return;
    case "stricthostkeychecking":
      set.strictHostKeyChecking ??= value.toLowerCase();
      return;
    case "hostkeyalias":
      set.hostKeyAlias ??= value;
      return;
    case "connecttimeout":
      set.connectTimeout ??= parsePositive(key, value);
      return;
    case "serveraliveinterval":
      set.serverAliveInterval ??= parsePositive(key, value);
      return;
    default:
      return;
  }
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) throw new SshOptionError(`invalid port "${value}"`);
  return port;
}

function parsePositive(key: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value)) throw new SshOptionError(`${key}: expected a number of seconds, got "${value}"`);
  return n;
}

function parseYesNo(key: string, value: string): boolean {
  const v = value.toLowerCase();
  if (v === "yes" || v === "true") return true;
  if (v === "no" || v === "false") return false;
  throw new SshOptionError(`${key}: expected yes or no, got "${value}"`);
}
