/**
 * SshTransport: one ssh2 connection per host for the whole run, opened on first use; commands
 * run as exec channels, at most `maxChannels` at once (below sshd's MaxSessions, default 10).
 * A host whose connection failed or dropped stays failed for the run: every later call rejects
 * with the same error instead of reconnecting.
 */
import { limiter, type Limiter } from "../limit.js";
import type { ClientChannel } from "ssh2";
import { DeployError } from "../errors.js";
import * as fail from "./failures.js";
import { quoteArgv } from "./quote.js";
import type { SshClient } from "./ssh-connect.js";
import { effectiveArgv, putFilesWith, throwIfSudoRefused, type BecomeSettings } from "./transport-common.js";
import type { Command, CommandResult, FileUpload, Transport, TransportStats } from "./types.js";

export interface SshTransportOptions {
  /** Opens the authenticated connection (socket, jumps, handshake); called at most once. */
  readonly connect: () => Promise<SshClient>;
  readonly become: BecomeSettings;
  readonly maxChannels: number;
  /** Default per-command timeout; undefined = none. */
  readonly commandTimeoutMs: number | undefined;
}

export class SshTransport implements Transport {
  readonly stats: TransportStats = { connections: 0, execs: 0 };
  private readonly channels: Limiter;
  private client: Promise<SshClient> | undefined;
  private lost: DeployError | undefined;
  /** Settles every running command when the connection drops. */
  private readonly inFlight = new Set<(error: DeployError) => void>();

  constructor(
    readonly host: string,
    private readonly options: SshTransportOptions,
  ) {
    this.channels = limiter(options.maxChannels);
  }

  run(cmd: Command): Promise<CommandResult> {
    return this.channels.add(() => this.exec(cmd));
  }

  putFiles(files: readonly FileUpload[], opts?: { become?: boolean }): Promise<void> {
    return putFilesWith((cmd) => this.run(cmd), this.host, files, opts);
  }

  warm(): void {
    // The rejection is kept in this.client for run() to report; here it must not go unhandled.
    this.connection().catch(() => undefined);
  }

  async close(): Promise<void> {
    const pending = this.client;
    this.client = undefined;
    if (pending === undefined) return;
    const client = await pending.catch(() => undefined);
    if (client === undefined) return;
    await new Promise<void>((resolve) => {
      client.once("close", () => resolve());
      client.end();
      setTimeout(resolve, 2000).unref();
    });
  }

  private connection(): Promise<SshClient> {
    this.client ??= this.options.connect().then((client) => {
      this.stats.connections++;
      client.on("close", () => this.onLost(fail.connectionLost(this.host, "running commands")));
      client.on("error", (error: Error) => this.onLost(fail.connectionLost(this.host, "running commands", error)));
      return client;
    });
    return this.client;
  }

  private onLost(error: DeployError): void {
    this.lost ??= error;
    for (const settle of [...this.inFlight]) settle(this.lost);
  }

  private async exec(cmd: Command): Promise<CommandResult> {
    const client = await this.connection();
    if (this.lost !== undefined) throw this.lost;
    const { argv, viaSudo } = effectiveArgv(cmd, this.options.become);
    this.stats.execs++;
    const result = await this.execOnChannel(client, cmd, quoteArgv(argv));
    throwIfSudoRefused(this.host, this.options.become, viaSudo, result);
    return result;
  }

  private execOnChannel(client: SshClient, cmd: Command, line: string): Promise<CommandResult> {
    return new Promise<CommandResult>((resolve, reject) => {
      const timeoutMs = cmd.timeoutMs ?? this.options.commandTimeoutMs;
      let channel: ClientChannel | undefined;
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const settle = (error: DeployError | undefined, result?: CommandResult): void => {
        if (settled) return;
        settled = true;
        this.inFlight.delete(settle);
        clearTimeout(timer);
        if (error !== undefined) reject(error);
        else resolve(result!);
      };
      this.inFlight.add(settle);
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          settle(fail.commandTimeout(this.host, cmd, timeoutMs));
          channel?.signal("KILL");
          channel?.close();
        }, timeoutMs);
      }
      client.exec(line, (error, stream) => {
        if (error !== undefined && error !== null) return settle(fail.channelRefused(this.host, fail.describeCommand(cmd), error));
        channel = stream;
        collectChannel(stream, cmd, (outcome) => {
          if (outcome.code === undefined) settle(this.lost ?? fail.connectionLost(this.host, fail.describeCommand(cmd)));
          else settle(undefined, { ...outcome, code: outcome.code });
        });
      });
    });
  }
}

type ChannelOutcome = { code: number | undefined; signal?: string; stdout: string; stderr: string };

/** Feeds stdin, gathers stdout/stderr, and reports the exit status when the channel closes. */
function collectChannel(stream: ClientChannel, cmd: Command, done: (outcome: ChannelOutcome) => void): void {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let code: number | undefined;
  let signal: string | undefined;
  stream.on("data", (chunk: Buffer) => out.push(chunk));
  stream.stderr.on("data", (chunk: Buffer) => err.push(chunk));
  stream.on("exit", (exitCode: number | null, exitSignal?: string) => {
    // A command killed by a signal has no exit code; report it as the shell would (128+n is unknown here).
    code = exitCode ?? (exitSignal === undefined ? undefined : 255);
    signal = exitSignal;
  });
  stream.on("error", () => undefined); // the close below reports the outcome
  stream.on("close", () => {
    const outcome: ChannelOutcome = { code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
    done(signal === undefined ? outcome : { ...outcome, signal });
  });
  if (cmd.stdin === undefined) stream.end();
  else stream.end(cmd.stdin);
}
