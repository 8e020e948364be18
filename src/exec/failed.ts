/** A host that cannot be used at all (bad settings): every call fails with the same error. */
import type { DeployError } from "../errors.js";
import type { Command, CommandResult, FileUpload, Transport, TransportStats } from "./types.js";

export class FailedTransport implements Transport {
  readonly stats: TransportStats = { connections: 0, execs: 0 };

  constructor(
    readonly host: string,
    readonly error: DeployError,
  ) {}

  run(_cmd: Command): Promise<CommandResult> {
    return Promise.reject(this.error);
  }

  putFiles(_files: readonly FileUpload[]): Promise<void> {
    return Promise.reject(this.error);
  }

  async close(): Promise<void> {}
}
