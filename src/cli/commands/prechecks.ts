/**
 * `prechecks`: checks every host (and the deployment host's inputs) before a deploy, changing
 * nothing. Prints a host × check table and one line per problem; exit 0 when everything passes.
 */
import type { Command } from "commander";
import PQueue from "p-queue";
import { prepare } from "../../apply/prepare.js";
import { terminalProgress } from "../../apply/progress.js";
import { ExitCode } from "../../errors.js";
import { openRunLog } from "../../log.js";
import { formatReport, reportJson, reportPassed, runPrechecks } from "../../prechecks/index.js";
import { redactSecrets as redact } from "../../redact.js";
import { commonOptions, parseCount, withCommonOptions, withTransportOptions } from "../common.js";
import { poolFor } from "./deploy.js";

export function register(program: Command): void {
  const cmd = program
    .command("prechecks")
    .description("check hosts before a deploy: engine, sudo, disk, interfaces, VIP, free ports, passwords, inventory groups (changes nothing)")
    .option("--forks <n>", "hosts checked at once", parseCount, 100);
  withTransportOptions(withCommonOptions(cmd)).action(async (raw: Record<string, unknown>) => {
    process.exitCode = await runVerb(raw);
  });
}

async function runVerb(raw: Record<string, unknown>): Promise<number> {
  const common = commonOptions(raw);
  const p = prepare(common);
  const { log, path } = openRunLog("prechecks");
  log.info({ verb: "prechecks", hosts: p.hosts }, "run start");
  const pool = poolFor(p, raw);
  const progress = terminalProgress(log, common.json);
  try {
    const report = await runPrechecks({
      p,
      pool,
      forks: new PQueue({ concurrency: raw.forks as number }),
      configdir: common.configdir,
      ...(common.passwords === undefined ? {} : { passwordsFile: common.passwords }),
      onProbed: (host, ms, error) => (error === undefined ? progress.done(host, "probed", ms) : progress.failed(host, "probe", redact(error.oneLine(), p.secrets))),
    });
    const text = common.json ? JSON.stringify(reportJson(report), null, 2) + "\n" : formatReport(report);
    process.stdout.write(redact(text, p.secrets));
    process.stderr.write(`run log: ${path}\n`);
    return reportPassed(report) ? ExitCode.ok : ExitCode.failure;
  } finally {
    log.info({ stats: pool.stats }, "run end");
    await pool.closeAll();
  }
}
