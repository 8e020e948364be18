/**
 * `post-deploy`: writes admin-openrc.sh, admin-openrc-system.sh, public-openrc.sh,
 * public-openrc-system.sh and clouds.yaml into the config directory (mode 0600), as kolla does.
 * Contacts no host; never prints the password.
 */
import type { Command } from "commander";
import { prepare } from "../../apply/prepare.js";
import { ExitCode } from "../../errors.js";
import { credentialsFrom, deploymentHostConfig, writeCredentialFiles } from "../../lifecycle/post-deploy.js";
import { redactSecrets } from "../../redact.js";
import { commonOptions, withCommonOptions, type CommonFlags } from "../common.js";

export function register(program: Command): void {
  const cmd = program
    .command("post-deploy")
    .description("write admin-openrc.sh, public-openrc.sh (and -system variants) and clouds.yaml into the config directory, mode 0600");
  withCommonOptions(cmd).action((flags: CommonFlags) => {
    process.exitCode = runPostDeploy(flags);
  });
}

function runPostDeploy(flags: CommonFlags): number {
  const common = commonOptions(flags);
  const p = prepare(common);
  const config = deploymentHostConfig(p, common);
  const credentials = credentialsFrom(config);
  const paths = writeCredentialFiles(common.configdir, credentials);
  const secrets = [...p.secrets, credentials.password];
  const text = common.json
    ? JSON.stringify({ files: paths.map((path) => ({ path, mode: "0600" })) }, null, 2) + "\n"
    : paths.map((path) => `wrote ${path} (0600)\n`).join("") + "source admin-openrc.sh for the admin credentials on the internal endpoint; clouds.yaml: --os-cloud kolla-admin\n";
  process.stdout.write(redactSecrets(text, secrets));
  return ExitCode.ok;
}
