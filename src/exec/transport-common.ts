/** Behaviour shared by the SSH and local transports: become wrapping, sudo refusal, putFiles. */
import * as fail from "./failures.js";
import { putFilesCommand } from "./put.js";
import { becomeArgv } from "./quote.js";
import type { Command, CommandResult, FileUpload } from "./types.js";

export interface BecomeSettings {
  /** The user the connection runs as. */
  readonly user: string;
  /** ansible_become: the default when a Command does not say. */
  readonly become: boolean;
  readonly becomeUser: string;
}

/** The argv to run and whether sudo wraps it; sudo is skipped when already that user. */
export function effectiveArgv(cmd: Command, settings: BecomeSettings): { argv: readonly string[]; viaSudo: boolean } {
  const become = cmd.become ?? settings.become;
  if (!become || settings.user === settings.becomeUser) return { argv: cmd.argv, viaSudo: false };
  return { argv: becomeArgv(cmd.argv, settings.becomeUser), viaSudo: true };
}

/** sudo -n's own refusals (as opposed to the command failing), which deserve their own error. */
const SUDO_REFUSAL = /^sudo: (a password is required|.* is not in the sudoers file|sorry, user .* may not run|a terminal is required)/m;

export function throwIfSudoRefused(host: string, settings: BecomeSettings, viaSudo: boolean, result: CommandResult): void {
  if (viaSudo && result.code === 1 && SUDO_REFUSAL.test(result.stderr)) {
    throw fail.becomeRefused(host, settings.becomeUser, result.stderr);
  }
}

/** Writes every file with one command; throws E_COMMAND_FAILED when the remote script fails. */
export async function putFilesWith(
  run: (cmd: Command) => Promise<CommandResult>,
  host: string,
  files: readonly FileUpload[],
  opts: { become?: boolean } = {},
): Promise<void> {
  if (files.length === 0) return;
  const cmd = putFilesCommand(files, opts);
  const result = await run(cmd);
  if (result.code !== 0) {
    const names = files.length === 1 ? files[0]!.path : `${files.length} files (${files[0]!.path}, ...)`;
    throw fail.commandFailed(host, cmd, result.code, result.stderr, `writing ${names}`);
  }
}
