/**
 * The gather as ONE exec per host: plan/gather.ts's read-only queries composed into one script
 * (exec/compose.ts), and the host state parsed from its framed output. The lock's acquire exec
 * carries the same command (lock/acquire-query.ts), so a locked run reads its hosts once.
 */
import type { Command, CommandResult } from "../command.js";
import type { ContainerEngineDriver } from "../engine/driver.js";
import { composeQueries } from "../exec/compose.js";
import { gatherCommands, parseGathered, type HostState } from "../plan/gather.js";

export interface GatherQuery {
  readonly command: Command;
  parse(result: CommandResult): HostState;
}

export function gatherQuery(driver: ContainerEngineDriver, dirs: readonly string[], containers: readonly string[]): GatherQuery {
  const composed = composeQueries(gatherCommands(driver, dirs, containers));
  return { command: composed.command, parse: (result) => parseGathered(driver, dirs, composed.split(result)) };
}
