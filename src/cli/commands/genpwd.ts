/**
 * `kolla-deploy genpwd [-p FILE]`: fills the empty values of passwords.yml (see config/genpwd.ts).
 * Prints how many keys were filled, never a value; `--json` prints `{"filled": [names]}`.
 */
import { join } from "node:path";
import type { Command } from "commander";
import { generatePasswords } from "../../config/genpwd.js";
import { defaultConfigDir } from "../common.js";

interface GenpwdCliOptions {
  passwords?: string;
  configdir: string;
  json: boolean;
}

export function register(program: Command): void {
  program
    .command("genpwd")
    .description("fill the empty values of passwords.yml with generated secrets, keeping everything already set")
    .option("-p, --passwords <file>", "passwords file (default <configdir>/passwords.yml)")
    .option("--configdir <dir>", "kolla config directory ($KOLLA_CONFIG_PATH or /etc/kolla)", defaultConfigDir())
    .option("--json", "print {\"filled\": [keys]} instead of a summary", false)
    .addHelpText(
      "after",
      "\nSSH key pairs are RSA 4096. KOLLA_DEPLOY_GENPWD_RSA_BITS lowers the size for tests only (>= 1024).",
    )
    .action(async (options: GenpwdCliOptions) => {
      const file = options.passwords ?? join(options.configdir, "passwords.yml");
      const result = await generatePasswords(file);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ filled: result.filled })}\n`);
        return;
      }
      const count = result.filled.length;
      process.stdout.write(
        count === 0
          ? `genpwd: nothing to fill, every value in ${result.file} is already set\n`
          : `genpwd: filled ${count} empty ${count === 1 ? "value" : "values"} in ${result.file}\n`,
      );
    });
}
