// Placeholder until the shell verb lands; replaced by its implementation.
import type { Command } from "commander";
import { DeployError } from "../../errors.js";

export function register(program: Command): void {
  program.command("shell").description("(not yet implemented)").action(() => {
    throw new DeployError("E_UNIMPLEMENTED", "shell is not implemented yet", "");
  });
}
