/**
 * Runs a change's planned commands on its host, exactly as planned: each judged by its own rules
 * (accepted exit codes and output, retries), cleanup commands even after a failure, and the first
 * failure thrown once they are done.
 */
import type { CommandResult, CommandRunner } from "../command.js";
import { DeployError } from "../errors.js";
import type { PlannedCommand } from "../plan/types.js";

export type Sleep = (ms: number) => Promise<void>;

const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function succeeded(c: PlannedCommand, r: CommandResult): boolean {
  if ((c.acceptCodes ?? [0]).includes(r.code)) return true;
  return c.acceptOutput !== undefined && new RegExp(c.acceptOutput, "i").test(`${r.stderr}\n${r.stdout}`);
}

function reasonLine(r: CommandResult, which: "first" | "last"): string {
  const lines = (text: string) => text.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  const pick = (text: string) => (which === "first" ? lines(text)[0] : lines(text).at(-1));
  return pick(r.stderr) ?? pick(r.stdout) ?? `exit code ${r.code}`;
}

function failure(c: PlannedCommand, r: CommandResult, attempts: number): DeployError {
  const times = attempts > 1 ? ` ${attempts} times` : "";
  return new DeployError(c.errorCode, `${c.what} failed${times} (exit ${r.code}): ${reasonLine(r, c.errorLine)}`, c.hint);
}

async function runOne(run: CommandRunner, c: PlannedCommand, sleep: Sleep): Promise<DeployError | undefined> {
  let wait = c.retry?.backoffMs ?? 0;
  for (let attempt = 1; ; attempt++) {
    const r = await run(c.command);
    if (succeeded(c, r)) return undefined;
    const givesUp = c.retry === undefined || attempt >= c.retry.attempts || new RegExp(c.retry.giveUpOn, "i").test(`${r.stderr}\n${r.stdout}`);
    if (givesUp) return failure(c, r, attempt);
    await sleep(wait);
    wait *= 2;
  }
}

export async function runPlanned(run: CommandRunner, commands: readonly PlannedCommand[], sleep: Sleep = realSleep): Promise<void> {
  let first: DeployError | undefined;
  for (const c of commands) {
    if (first !== undefined && c.cleanup !== true) continue;
    // Run it first: `first ??= await …` would skip a cleanup command once something failed.
    const error = await runOne(run, c, sleep);
    first ??= error;
  }
  if (first !== undefined) throw first;
}
