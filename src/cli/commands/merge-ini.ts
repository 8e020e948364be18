// Placeholder until the merge-ini verb lands; replaced by its implementation.
import type { Command } from "commander";
import { DeployError } from "../../errors.js";

export function register(program: Command): void {
  program.command("merge-ini").description("(not yet implemented)").action(() => {
    throw new DeployError("E_UNIMPLEMENTED", "merge-ini is not implemented yet", "");
  });
}
