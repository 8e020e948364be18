// Placeholder until the inventory verb lands; replaced by its implementation.
import type { Command } from "commander";
import { DeployError } from "../../errors.js";

export function register(program: Command): void {
  program.command("inventory").description("(not yet implemented)").action(() => {
    throw new DeployError("E_UNIMPLEMENTED", "inventory is not implemented yet", "");
  });
}
