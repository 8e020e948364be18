/**
 * ProxyJump: `[user@]host[:port]` (comma-separated, outermost first). Each jump host's other
 * settings come from the ssh config, falling back to the target's keys and known_hosts files.
 */
import { resolveSshConfig, type SshConfigBlock } from "./ssh-config.js";
import { emptyOptionSet, parsePort } from "./ssh-options.js";
import { expandSshPath, type SettingsEnv } from "./settings-env.js";

export interface JumpSpec {
  readonly host: string;
  readonly user: string | undefined;
  readonly port: number | undefined;
}

export interface JumpSettings {
  /** The name as written in ProxyJump, for messages. */
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly user: string;
  readonly identityFiles: readonly string[];
  readonly knownHostsFiles: readonly string[];
  readonly hostKeyName: string;
}

/** Parses a ProxyJump value; throws on an empty or malformed element. */
export function parseJumpSpec(value: string): JumpSpec[] {
  return value.split(",").map((part) => {
    const match = /^(?:ssh:\/\/)?(?:([^@]+)@)?(\[[^\]]+\]|[^:@]+)(?::(\d+))?$/.exec(part.trim());
    if (match === null) throw new Error(`cannot read jump host "${part}" (expected [user@]host[:port])`);
    const host = match[2]!.replace(/^\[(.*)\]$/, "$1");
    return { host, user: match[1], port: match[3] === undefined ? undefined : parsePort(match[3]) };
  });
}

export function resolveJumps(
  specs: readonly JumpSpec[],
  blocks: readonly SshConfigBlock[],
  ctx: { env: SettingsEnv; targetKeys: readonly string[]; known: readonly string[] },
): JumpSettings[] {
  return specs.map((spec) => {
    const options = resolveSshConfig(blocks, spec.host, emptyOptionSet());
    const address = options.hostName ?? spec.host;
    const port = spec.port ?? options.port ?? 22;
    const user = spec.user ?? options.user ?? ctx.env.localUser;
    const expand = (p: string): string => expandSshPath(p, { env: ctx.env, host: address, port, user });
    const keys = [...options.identityFiles.map(expand), ...ctx.targetKeys];
    return {
      name: spec.host,
      address,
      port,
      user,
      identityFiles: keys,
      knownHostsFiles: options.userKnownHostsFiles?.map(expand) ?? ctx.known,
      hostKeyName: options.hostKeyAlias ?? address,
    };
  });
}
