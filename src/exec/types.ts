/**
 * Commands are data: an argv array built by pure functions. Quoting happens exactly once,
 * in the transport, at the SSH boundary.
 */
export interface Command {
  readonly argv: readonly string[];
  /** Bytes fed to the command's stdin (for example a tar stream). */
  readonly stdin?: string | Buffer;
  /** Run as root (or ansible_become_user) through sudo, if the connection is not root already. */
  readonly become?: boolean;
  /** Overrides the transport's command timeout. */
  readonly timeoutMs?: number;
  /** Strings to redact from any error or log that quotes this command or its output. */
  readonly secrets?: readonly string[];
}

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly signal?: string;
}

/** One file to put on a host; written to a temporary file and renamed into place. */
export interface FileUpload {
  readonly path: string;
  readonly content: string | Buffer;
  /** e.g. 0o600 */
  readonly mode: number;
  readonly owner?: string;
  readonly group?: string;
}

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
