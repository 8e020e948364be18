import type { Command, CommandResult, FileUpload } from "../command.js";

export type { Command, CommandResult, FileUpload };

export interface TransportStats {
  /** SSH connections opened so far (0 for a local transport). */
  connections: number;
  /** Exec round trips so far. */
  execs: number;
}

/** A way of running commands on one host. One instance per host per run. */
export interface Transport {
  readonly host: string;
  run(cmd: Command): Promise<CommandResult>;
  /** Writes many files in one round trip; no file is ever visible half-written. */
  putFiles(files: readonly FileUpload[], opts?: { become?: boolean }): Promise<void>;
  close(): Promise<void>;
  readonly stats: TransportStats;
  /**
   * Starts opening the connection now, without running anything, so a later run() finds it ready
   * (the lock's gate host goes first; the others connect meanwhile). A failure surfaces on run().
   */
  warm?(): void;
}
