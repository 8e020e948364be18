/**
 * LocalTransport (ansible_connection=local): the same Command semantics as SSH, run with
 * child_process on this machine. argv is executed directly, so no quoting is involved.
 */
import { spawn } from "node:child_process";
import { userInfo } from "node:os";
import { limiter, type Limiter } from "../limit.js";
import type { DeployError } from "../errors.js";
import * as fail from "./failures.js";
import { effectiveArgv, putFilesWith, throwIfSudoRefused } from "./transport-common.js";
import type { Command, CommandResult, FileUpload, Transport, TransportStats } from "./types.js";

export interface LocalTransportOptions {
  readonly become: boolean;
  readonly becomeUser: string;
  readonly maxProcesses: number;
  readonly commandTimeoutMs: number | undefined;
}

export class LocalTransport implements Transport {
  readonly stats: TransportStats = { connections: 0, execs: 0 };
  private readonly queue: Limiter;
  private readonly user = userInfo().username;

  constructor(
    readonly host: string,
    private readonly options: LocalTransportOptions,
  ) {
    this.queue = limiter(options.maxProcesses);
  }

  run(cmd: Command): Promise<CommandResult> {
    return this.queue.add(() => this.spawnCommand(cmd));
  }

  putFiles(files: readonly FileUpload[], opts?: { become?: boolean }): Promise<void> {
    return putFilesWith((cmd) => this.run(cmd), this.host, files, opts);
  }

  async close(): Promise<void> {
    await this.queue.onIdle();
  }

  private async spawnCommand(cmd: Command): Promise<CommandResult> {
    const settings = { user: this.user, become: this.options.become, becomeUser: this.options.becomeUser };
    const { argv, viaSudo } = effectiveArgv(cmd, settings);
    this.stats.execs++;
    const result = await spawnCollect(this.host, cmd, argv, cmd.timeoutMs ?? this.options.commandTimeoutMs);
    throwIfSudoRefused(this.host, settings, viaSudo, result);
    return result;
  }
}

function spawnCollect(host: string, cmd: Command, argv: readonly string[], timeoutMs: number | undefined): Promise<CommandResult> {
  return new Promise<CommandResult>((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let failure: DeployError | undefined;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            failure = fail.commandTimeout(host, cmd, timeoutMs);
            child.kill("SIGKILL");
          }, timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.stdin.on("error", () => undefined); // a command that exits without reading stdin
    child.on("error", (error: NodeJS.ErrnoException) => {
      failure ??= fail.commandFailed(host, cmd, 127, error.message);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (failure !== undefined) return reject(failure);
      const result = { code: code ?? 255, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
      resolve(signal === null ? result : { ...result, signal });
    });
    child.stdin.end(cmd.stdin);
  });
}
