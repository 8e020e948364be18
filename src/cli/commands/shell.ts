/**
 * `kolla-deploy shell -- COMMAND`: runs one shell command on every selected host at the same time
 * and prints each host's output prefixed by `host | `. Also exports the SSH transport options
 * (--ssh-host-key-checking, timeouts, channel cap) so other verbs add the same flags.
 */
import type { Command } from "commander";
import { limiter } from "../../limit.js";
import { DeployError, ExitCode, exitCodeFor } from "../../errors.js";
import { TransportPool } from "../../exec/index.js";
import { hostVars, loadInventory, selectHosts } from "../../inventory/index.js";
import { commonOptions, parseCount, transportOptions, withCommonOptions, withTransportOptions } from "../common.js";

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
  withTransportOptions(withCommonOptions(cmd)).action(async (words: string[], raw: Record<string, unknown>) => {
    await runShell(words.join(" "), raw);
  });
}

async function runShell(command: string, raw: Record<string, unknown>): Promise<void> {
  const common = commonOptions(raw);
  const inventory = loadInventory(common.inventory);
  const hosts = selectHosts(inventory, common.limit ?? "all");
  if (hosts.length === 0) throw new DeployError("E_NO_HOSTS", `no hosts match "${common.limit ?? "all"}"`, "check --limit and the inventory");
  const pool = new TransportPool(hosts.map((name) => ({ name, vars: hostVars(inventory, name) })), transportOptions(raw));
  const forks = limiter(raw.forks as number);
  const become = raw.become === true ? true : undefined;
  const outcomes: HostOutcome[] = [];
  try {
    await Promise.all(
      hosts.map((host) =>
        forks.add(async () => {
          const outcome = await runOnHost(pool, host, command, become);
          outcomes.push(outcome);
          if (!common.json) printOutcome(outcome);
        }),
      ),
    );
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
