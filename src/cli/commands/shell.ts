/**
 * `kolla-deploy shell -- COMMAND`: runs one shell command on every selected host at the same time
 * and prints each host's output prefixed by `host | `.
 */
import { isFailure, onEveryHost } from "../../apply/fanout.js";
import type { Command } from "commander";
import { limiter } from "../../limit.js";
import { DeployError, ExitCode, exitCodeFor } from "../../errors.js";
import type { TransportPool } from "../../exec/index.js";
import { commonOptions, parseCount, transportOptions, withCommonOptions, withTransportOptions, type CommonFlags, type ForksFlags, type TransportFlags } from "../common.js";
import { openPool, selectedHosts } from "../session.js";

interface ShellFlags extends CommonFlags, TransportFlags, ForksFlags {
  become?: boolean;
}

export interface HostOutcome {
  host: string;
  rc: number | null;
  stdout: string;
  stderr: string;
  error: string | null;
  code?: string;
}

export function register(program: Command): void {
  const cmd = program
    .command("shell")
    .description("run a shell command on every selected host (the words after --)")
    .argument("<command...>", "the command, run by each host's shell")
    .option("--become", "run through sudo as ansible_become_user (default root)")
    .option("--forks <n>", "hosts at once (default 50)", parseCount, 50);
  withTransportOptions(withCommonOptions(cmd)).action(async (words: string[], flags: ShellFlags) => {
    await runShell(words.join(" "), flags);
  });
}

async function runShell(command: string, flags: ShellFlags): Promise<void> {
  const common = commonOptions(flags);
  const { inventory, hosts } = selectedHosts(common);
  const pool = openPool(inventory, hosts, transportOptions(flags));
  const forks = limiter(flags.forks);
  const become = flags.become === true ? true : undefined;
  const outcomes: HostOutcome[] = [];
  try {
    const results = await onEveryHost(hosts, forks, async (host) => {
      const outcome = await runOnHost(pool, host, command, become);
      outcomes.push(outcome);
      if (!common.json) printOutcome(outcome);
    });
    // runOnHost turns every operator-facing error into an outcome: what is left is a bug.
    const bug = results.find(isFailure);
    if (bug !== undefined) throw bug.error;
  } finally {
    await pool.closeAll();
  }
  if (common.json) {
    const order = new Map(hosts.map((h, i) => [h, i]));
    outcomes.sort((a, b) => order.get(a.host)! - order.get(b.host)!);
    process.stdout.write(`${JSON.stringify(outcomes.map(({ code: _c, ...o }) => o), null, 2)}\n`);
  }
  process.exitCode = shellExitCode(outcomes);
}

async function runOnHost(pool: TransportPool, host: string, command: string, become: boolean | undefined): Promise<HostOutcome> {
  try {
    const result = await pool.get(host).run({ argv: ["sh", "-c", command], ...(become === undefined ? {} : { become }) });
    return { host, rc: result.code, stdout: result.stdout, stderr: result.stderr, error: null };
  } catch (error) {
    if (!(error instanceof DeployError)) throw error;
    return { host, rc: null, stdout: "", stderr: "", error: error.oneLine(), code: error.code };
  }
}

/** `host | line` for each line, stderr lines on stderr, then `host | rc=N` (or the error). */
export function formatOutcome(o: HostOutcome): { stdout: string; stderr: string } {
  const prefix = (text: string): string =>
    text === "" ? "" : text.replace(/\n$/, "").split("\n").map((line) => `${o.host} | ${line}\n`).join("");
  if (o.error !== null) return { stdout: "", stderr: `${o.host} | error: ${o.error}\n` };
  return { stdout: `${prefix(o.stdout)}${o.host} | rc=${o.rc}\n`, stderr: prefix(o.stderr) };
}

function printOutcome(o: HostOutcome): void {
  const text = formatOutcome(o);
  if (text.stderr !== "") process.stderr.write(text.stderr);
  if (text.stdout !== "") process.stdout.write(text.stdout);
}

/** Unreachable hosts outrank commands that merely failed. */
export function shellExitCode(outcomes: readonly HostOutcome[]): number {
  const failed = outcomes.find((o) => o.error !== null);
  if (failed !== undefined) return exitCodeFor(new DeployError(failed.code ?? "E_COMMAND_FAILED", "", ""));
  return outcomes.some((o) => o.rc !== 0) ? ExitCode.failure : ExitCode.ok;
}
