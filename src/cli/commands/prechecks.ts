/**
 * `prechecks`: checks every host (and the deployment host's inputs) before a deploy, changing
 * nothing. Prints a host × check table and one line per problem; exit 0 when everything passes.
 */
import type { Command } from "commander";
import { prepare } from "../../apply/prepare.js";
import { ExitCode } from "../../errors.js";
import { formatReport, reportJson, reportPassed, runPrechecks } from "../../prechecks/index.js";
import { redactSecrets as redact } from "../../redact.js";
import { parseCount, runOptions, withCommonOptions, withTransportOptions, type CommonFlags, type ForksFlags, type TransportFlags } from "../common.js";
import { poolHostsOf, withRun } from "../session.js";

type PrechecksFlags = CommonFlags & TransportFlags & ForksFlags;

export function register(program: Command): void {
  const cmd = program
    .command("prechecks")
    .description("check hosts before a deploy: engine, sudo, disk, interfaces, VIP, free ports, passwords, inventory groups (changes nothing)")
    .option("--forks <n>", "hosts checked at once", parseCount, 100);
  withTransportOptions(withCommonOptions(cmd)).action(async (flags: PrechecksFlags) => {
    process.exitCode = await runVerb(flags);
  });
}

async function runVerb(flags: PrechecksFlags): Promise<number> {
  const opts = runOptions(flags);
  const p = prepare(opts.common);
  const targets = { inventory: p.inventory, poolHosts: poolHostsOf(p), logFields: { hosts: p.hosts } };
  return withRun("prechecks", opts, targets, async ({ common, pool, forks, progress, logPath }) => {
    const report = await runPrechecks({
      p,
      pool,
      forks,
      configdir: common.configdir,
      ...(common.passwords === undefined ? {} : { passwordsFile: common.passwords }),
      onProbed: (host, ms, error) => (error === undefined ? progress.done(host, "probed", ms) : progress.failed(host, "probe", redact(error.oneLine(), p.secrets))),
    });
    const text = common.json ? JSON.stringify(reportJson(report), null, 2) + "\n" : formatReport(report);
    process.stdout.write(redact(text, p.secrets));
    process.stderr.write(`run log: ${logPath}\n`);
    return reportPassed(report) ? ExitCode.ok : ExitCode.failure;
  });
}
