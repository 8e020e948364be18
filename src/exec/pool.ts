/**
 * TransportPool: one Transport per inventory host, created on first use, each holding at most one
 * SSH connection for the whole run. Connection starts are capped globally (below sshd's
 * MaxStartups on a shared jump host); jump-host connections are shared between the hosts behind them.
 */
import { limiter, type Limiter } from "../limit.js";
import type { Duplex } from "node:stream";
import { DeployError } from "../errors.js";
import { LocalTransport } from "./local.js";
import { machineSettingsEnv, type HostKeyMode, type SettingsEnv } from "./settings-env.js";
import { resolveConnectionSettings, type ConnectionSettings, type HostVars, type JumpSettings } from "./settings.js";
import { handshake, type ConnectTarget, type SshClient } from "./ssh-connect.js";
import { SshTransport } from "./ssh.js";
import { openTcpSocket, type SocketOpener } from "./socket.js";
import { FailedTransport } from "./failed.js";
import type { Transport, TransportStats } from "./types.js";

export interface TransportPoolOptions {
  /** The --ssh-host-key-checking flag; when set it overrides StrictHostKeyChecking from ssh args/config. */
  readonly hostKeyMode?: HostKeyMode;
  readonly connectTimeoutMs?: number;
  readonly commandTimeoutMs?: number;
  readonly keepaliveIntervalMs?: number;
  /** Concurrent channels per host; keep below sshd's MaxSessions (default 10). */
  readonly maxChannels?: number;
  /** Connection handshakes in progress at once, across all hosts. */
  readonly maxConnectStarts?: number;
  readonly env?: SettingsEnv;
  readonly openSocket?: SocketOpener;
}

export const POOL_DEFAULTS = {
  connectTimeoutMs: 10_000,
  keepaliveIntervalMs: 15_000,
  maxChannels: 8,
  maxConnectStarts: 20,
} as const;

export interface PoolStats {
  /** SSH connections opened, jump hosts included. */
  connections: number;
  execs: number;
  hosts: Record<string, TransportStats>;
}

export class TransportPool {
  private readonly vars = new Map<string, HostVars>();
  private readonly transports = new Map<string, Transport>();
  private readonly jumpClients = new Map<string, Promise<SshClient>>();
  private readonly connectStarts: Limiter;
  private readonly env: SettingsEnv;
  private jumpConnections = 0;

  constructor(
    hosts: Iterable<{ name: string; vars: HostVars }>,
    private readonly options: TransportPoolOptions = {},
  ) {
    for (const h of hosts) this.vars.set(h.name, h.vars);
    this.connectStarts = limiter(options.maxConnectStarts ?? POOL_DEFAULTS.maxConnectStarts);
    this.env = options.env ?? machineSettingsEnv();
  }

  /** The host's transport; bad connection settings give a transport whose every call fails. */
  get(host: string): Transport {
    let transport = this.transports.get(host);
    if (transport === undefined) {
      transport = this.create(host);
      this.transports.set(host, transport);
    }
    return transport;
  }

  get stats(): PoolStats {
    const hosts: Record<string, TransportStats> = {};
    let connections = this.jumpConnections;
    let execs = 0;
    for (const [name, t] of this.transports) {
      hosts[name] = { ...t.stats };
      connections += t.stats.connections;
      execs += t.stats.execs;
    }
    return { connections, execs, hosts };
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.transports.values()].map((t) => t.close()));
    const jumps = await Promise.all([...this.jumpClients.values()].map((p) => p.catch(() => undefined)));
    for (const client of jumps) client?.end();
    this.transports.clear();
    this.jumpClients.clear();
  }

  private create(host: string): Transport {
    const vars = this.vars.get(host);
    if (vars === undefined) {
      return new FailedTransport(host, new DeployError("E_HOST_UNKNOWN", `host ${host} is not in the inventory`, "check the host name and --limit", { host }));
    }
    let settings: ConnectionSettings;
    try {
      settings = resolveConnectionSettings(host, vars, this.env);
    } catch (error) {
      if (error instanceof DeployError) return new FailedTransport(host, error);
      throw error;
    }
    const common = { commandTimeoutMs: this.options.commandTimeoutMs };
    if (settings.local) {
      return new LocalTransport(host, { ...common, become: settings.become, becomeUser: settings.becomeUser, maxProcesses: this.maxChannels() });
    }
    return new SshTransport(host, {
      ...common,
      connect: () => this.connect(this.targetOf(settings), settings.jumps, settings),
      become: { user: settings.user, become: settings.become, becomeUser: settings.becomeUser },
      maxChannels: this.maxChannels(),
    });
  }

  private maxChannels(): number {
    return this.options.maxChannels ?? POOL_DEFAULTS.maxChannels;
  }

  private hostKeyMode(fromSettings: HostKeyMode | undefined): HostKeyMode {
    return this.options.hostKeyMode ?? fromSettings ?? "strict";
  }

  private targetOf(s: ConnectionSettings): ConnectTarget {
    return {
      host: s.host,
      address: s.address,
      port: s.port,
      user: s.user,
      identityFiles: s.identityFiles,
      agentSocket: s.agentSocket,
      knownHostsFiles: s.knownHostsFiles,
      knownHostsWriteFile: s.knownHostsWriteFile,
      hostKeyName: s.hostKeyName,
      hostKeyMode: this.hostKeyMode(s.hostKeyMode),
    };
  }

  private jumpTarget(jump: JumpSettings, via: ConnectionSettings): ConnectTarget {
    return {
      host: `${via.host} (jump ${jump.name})`,
      address: jump.address,
      port: jump.port,
      user: jump.user,
      identityFiles: jump.identityFiles,
      agentSocket: via.agentSocket,
      knownHostsFiles: jump.knownHostsFiles,
      knownHostsWriteFile: jump.knownHostsFiles[0],
      hostKeyName: jump.hostKeyName,
      hostKeyMode: this.hostKeyMode(via.hostKeyMode),
    };
  }

  /**
   * Socket (direct or through the jump chain), then handshake, within one connect deadline.
   * The jump connection is awaited outside the start queue, so waiting hosts never hold its slots.
   */
  private async connect(target: ConnectTarget, jumps: readonly JumpSettings[], settings: ConnectionSettings): Promise<SshClient> {
    const timeoutMs = settings.connectTimeoutMs ?? this.options.connectTimeoutMs ?? POOL_DEFAULTS.connectTimeoutMs;
    const jumpClient = jumps.length === 0 ? undefined : await this.jumpClient(jumps, settings);
    return this.connectStarts.add(async () => {
      const deadline = Date.now() + timeoutMs;
      const sock: Duplex =
        jumpClient === undefined
          ? await (this.options.openSocket ?? openTcpSocket)(target, timeoutMs)
          : await forwardTo(jumpClient, target);
      return handshake(target, sock, {
        timeoutMs: Math.max(1, deadline - Date.now()),
        keepaliveIntervalMs: settings.keepaliveIntervalMs ?? this.options.keepaliveIntervalMs ?? POOL_DEFAULTS.keepaliveIntervalMs,
      });
    });
  }

  /** The connection to the last jump of the chain, shared by every host behind the same chain. */
  private jumpClient(jumps: readonly JumpSettings[], settings: ConnectionSettings): Promise<SshClient> {
    const key = jumps.map((j) => `${j.user}@${j.address}:${j.port}`).join(",");
    let client = this.jumpClients.get(key);
    if (client === undefined) {
      const last = jumps[jumps.length - 1]!;
      client = this.connect(this.jumpTarget(last, settings), jumps.slice(0, -1), settings).then((c) => {
        this.jumpConnections++;
        return c;
      });
      this.jumpClients.set(key, client);
    }
    return client;
  }
}

function forwardTo(client: SshClient, target: ConnectTarget): Promise<Duplex> {
  return new Promise<Duplex>((resolve, reject) => {
    client.forwardOut("127.0.0.1", 0, target.address, target.port, (error, stream) => {
      if (error === undefined || error === null) return resolve(stream);
      reject(new DeployError("E_HOST_UNREACHABLE", `the jump host could not reach ${target.address}:${target.port}: ${error.message}`, "check that the jump host can reach the target and allows TCP forwarding", { host: target.host, cause: error }));
    });
  });
}
