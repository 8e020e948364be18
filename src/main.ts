/** Process entry: runs the CLI and turns any error into one line on stderr and an exit code. */
import { DeployError, ExitCode, exitCodeFor } from "./errors.js";
import { buildProgram, commanderExitCode } from "./cli/program.js";
import { defaultCacheDir } from "./template/compile-cache.js";
import { useCompileCache } from "./template/env.js";

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  // Templates compiled by earlier runs are reused (the compiler dominated a no-change run's CPU).
  const cacheDir = defaultCacheDir();
  const saveTemplates = cacheDir === undefined ? () => undefined : useCompileCache(cacheDir);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : ExitCode.ok;
  } catch (error) {
    return reportError(error);
  } finally {
    saveTemplates();
  }
}

function reportError(error: unknown): number {
  const usage = commanderExitCode(error);
  if (usage !== undefined) return usage;
  if (error instanceof DeployError) {
    process.stderr.write(`error: ${error.oneLine()}\n`);
    return exitCodeFor(error);
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`internal error: ${message}\n(hint: this is a bug in kolla-deploy; please report it with the run log)\n`);
  return ExitCode.internal;
}

/** Exits once stdout and stderr are flushed: a pipe takes large output asynchronously. */
function exitAfterFlush(code: number): void {
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

main(process.argv.slice(2)).then(exitAfterFlush, () => exitAfterFlush(ExitCode.internal));
