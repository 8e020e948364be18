/**
 * Opens one authenticated ssh2 Client over a given socket: host key checked against known_hosts
 * (strict / accept-new / no), keys from files and ssh-agent, keepalives on, one deadline for the
 * whole handshake. ssh2 enters the code base only in src/exec/ssh*.
 */
import { readFile } from "node:fs/promises";
import type { Duplex } from "node:stream";
import ssh2 from "ssh2";
import type { AgentAuthMethod, ParsedKey, PublicKeyAuthMethod, Client as SshClient, ConnectConfig, ServerHostKeyAlgorithm } from "ssh2";
import type { DeployError } from "../errors.js";
import * as fail from "./failures.js";
import { appendKnownHost, readKnownHosts } from "./known-hosts-file.js";
import {
  fingerprintSha256,
  knownHostsLine,
  knownHostsName,
  knownKeyTypes,
  verifyHostKey,
  type KnownHostEntry,
} from "./known-hosts.js";
import type { HostKeyMode } from "./settings-env.js";

export type { SshClient };

export interface ConnectTarget extends fail.Endpoint {
  readonly identityFiles: readonly string[];
  readonly agentSocket: string | undefined;
  readonly knownHostsFiles: readonly string[];
  readonly knownHostsWriteFile: string | undefined;
  readonly hostKeyName: string;
  readonly hostKeyMode: HostKeyMode;
}

export interface HandshakeOptions {
  readonly timeoutMs: number;
  readonly keepaliveIntervalMs: number;
}

const DEFAULT_HOST_KEY_ORDER = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"];

/** Resolves with a ready Client, or rejects with a DeployError saying why. Destroys `sock` on failure. */
export async function handshake(target: ConnectTarget, sock: Duplex, opts: HandshakeOptions): Promise<SshClient> {
  const lookupName = knownHostsName(target.hostKeyName, target.port);
  const entries = await readKnownHosts(target.knownHostsFiles);
  const auth = await authMethods(target);
  if (auth.methods.length === 0) {
    sock.destroy();
    throw fail.noCredentials(target, auth.skipped);
  }
  return new Promise<SshClient>((resolve, reject) => {
    const client = new ssh2.Client();
    let verdictError: DeployError | undefined;
    let settled = false;
    const finish = (error: DeployError | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error === undefined) return resolve(client);
      client.end();
      sock.destroy();
      reject(error);
    };
    const timer = setTimeout(() => finish(fail.connectTimeout(target, opts.timeoutMs)), opts.timeoutMs);
    client.on("ready", () => finish(undefined));
    client.on("error", (error: Error & { level?: string }) => finish(verdictError ?? fail.connectFailure(target, error)));
    client.on("close", () => finish(verdictError ?? fail.connectionLost(target.host, "connecting")));
    const config: ConnectConfig = {
      sock: sock as ConnectConfig["sock"],
      username: target.user,
      readyTimeout: 0, // our own timer covers the whole handshake
      keepaliveInterval: opts.keepaliveIntervalMs,
      keepaliveCountMax: 3,
      algorithms: { serverHostKey: preferredHostKeyTypes(entries, lookupName) },
      authHandler: auth.methods,
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        checkHostKey(target, entries, lookupName, key).then(
          (error) => {
            verdictError = error;
            verify(error === undefined);
          },
          (error: unknown) => {
            verdictError = fail.connectFailure(target, error as Error);
            verify(false);
          },
        );
      },
    };
    client.connect(config);
  });
}

/** Known key types first (as OpenSSH orders them), so the server presents the key we can check. */
function preferredHostKeyTypes(entries: readonly KnownHostEntry[], lookupName: string): ServerHostKeyAlgorithm[] {
  const known = knownKeyTypes(entries, lookupName).flatMap((t) => (t === "ssh-rsa" ? ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"] : [t]));
  // Only types ssh2 implements may be offered; unknown ones in known_hosts are left out.
  const supported = new Set<string>(DEFAULT_HOST_KEY_ORDER);
  return [...new Set([...known.filter((t) => supported.has(t)), ...DEFAULT_HOST_KEY_ORDER])] as ServerHostKeyAlgorithm[];
}

/** undefined when the key is accepted (maybe recording it), else the error to report. */
async function checkHostKey(
  target: ConnectTarget,
  entries: readonly KnownHostEntry[],
  lookupName: string,
  key: Buffer,
): Promise<DeployError | undefined> {
  const verdict = verifyHostKey(entries, lookupName, key);
  const fingerprint = fingerprintSha256(key);
  switch (verdict.kind) {
    case "known":
      return undefined;
    case "revoked":
      return fail.hostKeyRevoked(target, fingerprint, `${verdict.entry.file}:${verdict.entry.line}`);
    case "changed":
      return fail.hostKeyChanged(target, fingerprint, verdict.entries.map((e) => `${e.file}:${e.line}`));
    case "unknown":
      if (target.hostKeyMode === "no") return undefined;
      if (target.hostKeyMode === "strict" || target.knownHostsWriteFile === undefined) {
        return fail.hostKeyUnknown(target, fingerprint, target.knownHostsFiles);
      }
      await appendKnownHost(target.knownHostsWriteFile, knownHostsLine(lookupName, key));
      return undefined;
  }
}

type KeyFile = { readonly key: ParsedKey } | { readonly skipped: string };

/**
 * Each key file is read and parsed once per process, not once per host: at hundreds of hosts the
 * per-connection reads and parses showed in the profile. ssh2 takes the parsed key as it is.
 */
const keyFiles = new Map<string, Promise<KeyFile>>();

async function loadKeyFile(file: string): Promise<KeyFile> {
  let key: Buffer;
  try {
    key = await readFile(file);
  } catch (error) {
    return { skipped: `${file}: ${(error as NodeJS.ErrnoException).code ?? "unreadable"}` };
  }
  const parsed = ssh2.utils.parseKey(key);
  if (parsed instanceof Error) {
    return { skipped: `${file}: ${/encrypted|passphrase/i.test(parsed.message) ? "encrypted (use ssh-agent)" : parsed.message}` };
  }
  return { key: parsed };
}

function keyFile(file: string): Promise<KeyFile> {
  let loaded = keyFiles.get(file);
  if (loaded === undefined) {
    loaded = loadKeyFile(file);
    keyFiles.set(file, loaded);
  }
  return loaded;
}

/** ssh-agent first (as OpenSSH does), then each readable, unencrypted key file. */
async function authMethods(target: ConnectTarget): Promise<{ methods: (AgentAuthMethod | PublicKeyAuthMethod)[]; skipped: string[] }> {
  const methods: (AgentAuthMethod | PublicKeyAuthMethod)[] = [];
  const skipped: string[] = [];
  if (target.agentSocket !== undefined) methods.push({ type: "agent", username: target.user, agent: target.agentSocket });
  for (const loaded of await Promise.all(target.identityFiles.map(keyFile))) {
    if ("skipped" in loaded) skipped.push(loaded.skipped);
    else methods.push({ type: "publickey", username: target.user, key: loaded.key });
  }
  return { methods, skipped };
}
