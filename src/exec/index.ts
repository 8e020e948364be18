/**
 * exec/: running commands on hosts. Commands are data (types.ts); this folder quotes them once
 * (quote.ts), carries them over one SSH connection per host (ssh.ts, pool.ts) or locally
 * (local.ts), batches file writes (put.ts, tar.ts) and read-only queries (file-state.ts, compose.ts).
 */
export type { Command, CommandResult, FileUpload, Transport, TransportStats } from "./types.js";
export { TransportPool, POOL_DEFAULTS, type TransportPoolOptions, type PoolStats } from "./pool.js";
export { parseHostKeyMode, machineSettingsEnv, type HostKeyMode, type SettingsEnv } from "./settings-env.js";
export { resolveConnectionSettings, type ConnectionSettings } from "./settings.js";
export { quoteWord, quoteArgv, becomeArgv } from "./quote.js";
export { putFilesCommand } from "./put.js";
export { fileStateQuery, parseFileState, type FileState } from "./file-state.js";
export { composeQueries, type ComposedQuery } from "./compose.js";
export { redactSecrets } from "../redact.js";
export { commandFailed, describeCommand } from "./failures.js";
export { LocalTransport } from "./local.js";
export { SshTransport } from "./ssh.js";
export { FakeTransport } from "./fake.js";

import { commandFailed } from "./failures.js";
import type { Command, CommandResult, Transport } from "./types.js";

/** Runs a command and throws E_COMMAND_FAILED (secrets redacted) unless it exits 0. */
export async function runChecked(transport: Transport, cmd: Command): Promise<CommandResult> {
  const result = await transport.run(cmd);
  if (result.code !== 0) throw commandFailed(transport.host, cmd, result.code, result.stderr);
  return result;
}
