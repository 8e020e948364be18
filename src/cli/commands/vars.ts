// Placeholder until the vars verb lands; replaced by its implementation.
import type { Command } from "commander";
import { DeployError } from "../../errors.js";

export function register(program: Command): void {
  program.command("vars").description("(not yet implemented)").action(() => {
    throw new DeployError("E_UNIMPLEMENTED", "vars is not implemented yet", "");
  });
}
