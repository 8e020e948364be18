// Placeholder until the genpwd verb lands; replaced by its implementation.
import type { Command } from "commander";
import { DeployError } from "../../errors.js";

export function register(program: Command): void {
  program.command("genpwd").description("(not yet implemented)").action(() => {
    throw new DeployError("E_UNIMPLEMENTED", "genpwd is not implemented yet", "");
  });
}
