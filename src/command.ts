/**
 * Commands are data: an argv array built by pure functions. Quoting happens exactly once, in the
 * transport, at the SSH boundary. This module is neutral ground: the engine builds Commands, the
 * plan holds them, exec runs them, and none of those needs to import another for the types.
 */
export interface Command {
  readonly argv: readonly string[];
  /** Bytes fed to the command's stdin (for example a tar stream, or a password line). */
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

/** Whatever runs a Command on one host: the SSH transport, or a test's fake. */
export type CommandRunner = (cmd: Command) => Promise<CommandResult>;

/** One file to put on a host; written to a temporary file and renamed into place. */
export interface FileUpload {
  readonly path: string;
  readonly content: string | Buffer;
  /** e.g. 0o600 */
  readonly mode: number;
  readonly owner?: string;
  readonly group?: string;
}
