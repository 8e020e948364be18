/**
 * The per-host failures a transport reports, as DeployErrors with the host, what was attempted
 * and a hint. Pure, so the wording is tested without a network.
 */
import { DeployError } from "../errors.js";
import { redactSecrets } from "../redact.js";
import type { Command } from "./types.js";

export interface Endpoint {
  /** inventory_hostname (or the jump host's name). */
  readonly host: string;
  readonly address: string;
  readonly port: number;
  readonly user: string;
}

const where = (e: Endpoint): string => `${e.user}@${e.address}:${e.port}`;

/** Maps a socket or ssh2 connect error to a DeployError (host key failures are reported separately). */
export function connectFailure(endpoint: Endpoint, error: Error & { code?: string; level?: string }): DeployError {
  const opts = { host: endpoint.host, cause: error };
  const target = where(endpoint);
  switch (error.code) {
    case "ECONNREFUSED":
      return new DeployError("E_HOST_UNREACHABLE", `SSH connection to ${target} refused`, "is sshd running on the host, and is ansible_port right?", opts);
    case "EHOSTUNREACH":
    case "ENETUNREACH":
    case "EHOSTDOWN":
      return new DeployError("E_HOST_UNREACHABLE", `no route to ${target} (${error.code})`, "check ansible_host and that the host is up", opts);
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new DeployError("E_HOST_UNREACHABLE", `cannot resolve ${endpoint.address}`, "set ansible_host to an address or a name this machine resolves", opts);
    case "ECONNRESET":
    case "EPIPE":
      return new DeployError("E_HOST_UNREACHABLE", `connection to ${target} was reset during the SSH handshake`, "check sshd's logs on the host (MaxStartups, AllowUsers, TCP wrappers)", opts);
    default:
      break;
  }
  if (error.level === "client-authentication") {
    return new DeployError("E_HOST_AUTH", `authentication as ${endpoint.user} to ${target} was refused`, "check ansible_user and ansible_ssh_private_key_file (or ssh-agent), and the host's authorized_keys", opts);
  }
  if (error.level === "client-timeout") return connectTimeout(endpoint, undefined);
  return new DeployError("E_HOST_UNREACHABLE", `SSH connection to ${target} failed: ${error.message}`, "run with -v and check sshd's logs on the host", opts);
}

export function connectTimeout(endpoint: Endpoint, timeoutMs: number | undefined): DeployError {
  const within = timeoutMs === undefined ? "" : ` within ${timeoutMs / 1000}s`;
  return new DeployError("E_HOST_TIMEOUT", `no SSH session with ${where(endpoint)}${within}`, "check that the host is up and reachable, or raise --connect-timeout", { host: endpoint.host });
}

export function noCredentials(endpoint: Endpoint, skipped: readonly string[]): DeployError {
  const note = skipped.length === 0 ? "" : ` (skipped: ${skipped.join("; ")})`;
  return new DeployError("E_HOST_AUTH", `no usable SSH key or agent to log in as ${endpoint.user} at ${where(endpoint)}${note}`, "set ansible_ssh_private_key_file to an unencrypted key, or load the key into ssh-agent (SSH_AUTH_SOCK)", { host: endpoint.host });
}

export function hostKeyUnknown(endpoint: Endpoint, fingerprint: string, files: readonly string[]): DeployError {
  return new DeployError("E_HOST_KEY_UNKNOWN", `host key of ${endpoint.address}:${endpoint.port} is not known (${fingerprint}; looked in ${files.join(", ") || "no file"})`, "verify the fingerprint, then add the key to known_hosts (ssh-keyscan) or run once with --ssh-host-key-checking accept-new", { host: endpoint.host });
}

export function hostKeyChanged(endpoint: Endpoint, fingerprint: string, known: readonly string[]): DeployError {
  return new DeployError("E_HOST_KEY_CHANGED", `HOST KEY CHANGED for ${endpoint.address}:${endpoint.port}: it presented ${fingerprint}, which does not match ${known.join(", ")}`, "someone may be intercepting the connection; if the host was re-installed, remove the old line from known_hosts (ssh-keygen -R) and verify the new key", { host: endpoint.host });
}

export function hostKeyRevoked(endpoint: Endpoint, fingerprint: string, at: string): DeployError {
  return new DeployError("E_HOST_KEY_REVOKED", `host key ${fingerprint} of ${endpoint.address}:${endpoint.port} is marked @revoked (${at})`, "the host must get a new host key; do not connect with this one", { host: endpoint.host });
}

export function connectionLost(host: string, doing: string, cause?: unknown): DeployError {
  return new DeployError("E_HOST_UNREACHABLE", `connection lost while ${doing}`, "check the network and the host; the run does not reconnect to a host that dropped", { host, cause });
}

export function channelRefused(host: string, doing: string, cause: unknown): DeployError {
  return new DeployError("E_HOST_CHANNEL", `the host refused a new SSH session while ${doing}`, "lower --ssh-channels, or raise MaxSessions in the host's sshd_config", { host, cause });
}

export function commandTimeout(host: string, cmd: Command, timeoutMs: number): DeployError {
  return new DeployError("E_HOST_TIMEOUT", `command did not finish within ${timeoutMs / 1000}s: ${describeCommand(cmd)}`, "raise --command-timeout, or check what the command waits for on the host", { host });
}

/** A command that ran and exited non-zero, with the tail of its stderr, secrets redacted. */
export function commandFailed(host: string, cmd: Command, code: number, stderr: string, doing?: string): DeployError {
  const tail = redactSecrets(stderr.trim(), cmd.secrets).split("\n").slice(-3).join(" | ");
  const what = doing ?? describeCommand(cmd);
  return new DeployError("E_COMMAND_FAILED", `${what} exited ${code}${tail === "" ? "" : `: ${tail}`}`, "see the command's output above or in the run log", { host });
}

export function becomeRefused(host: string, user: string, stderr: string): DeployError {
  return new DeployError("E_HOST_BECOME", `sudo to ${user} refused: ${stderr.trim().split("\n")[0] ?? ""}`, "give the SSH user passwordless sudo (NOPASSWD in /etc/sudoers.d), or connect as root", { host });
}

/** A short, redacted description of a command for messages. */
export function describeCommand(cmd: Command): string {
  const text = cmd.argv[0] === "sh" && cmd.argv[1] === "-c" && cmd.argv[3] !== undefined ? cmd.argv[3] : cmd.argv.join(" ");
  const redacted = redactSecrets(text, cmd.secrets).replace(/\s+/g, " ");
  return redacted.length > 80 ? `${redacted.slice(0, 77)}...` : redacted;
}
