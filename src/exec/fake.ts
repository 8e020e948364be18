/**
 * FakeTransport: a test double for pure-logic tests of callers. It records every command and
 * answers from a responder function; it never touches a network or a shell.
 */
import type { Command, CommandResult, FileUpload, Transport, TransportStats } from "./types.js";

export type FakeResponder = (cmd: Command) => CommandResult | Promise<CommandResult>;

export class FakeTransport implements Transport {
  readonly stats: TransportStats = { connections: 0, execs: 0 };
  readonly commands: Command[] = [];
  readonly uploads: FileUpload[][] = [];
  closed = false;

  constructor(
    readonly host: string,
    private readonly respond: FakeResponder = () => ({ code: 0, stdout: "", stderr: "" }),
  ) {}

  async run(cmd: Command): Promise<CommandResult> {
    this.stats.connections = 1;
    this.stats.execs++;
    this.commands.push(cmd);
    return this.respond(cmd);
  }

  async putFiles(files: readonly FileUpload[]): Promise<void> {
    this.stats.connections = 1;
    this.stats.execs++;
    this.uploads.push([...files]);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
