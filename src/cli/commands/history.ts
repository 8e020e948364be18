/**
 * `history [-l HOSTS] [--last N] [--json]`: the runs recorded on each selected host, merged and
 * sorted by time: when, which verb, who from where, the result and what changed there.
 */
import type { Command } from "commander";
import { DeployError, ExitCode } from "../../errors.js";
import { formatCommand, mergeHistories, readHistories, summarizeChanges, type HistoryEntry } from "../../lock/index.js";
import { commonOptions, parseCount, transportOptions, withCommonOptions, withTransportOptions, type CommonFlags, type TransportFlags } from "../common.js";
import { openPool, selectedHosts } from "../session.js";
import { formatTable, tableLines } from "../../table.js";

interface HistoryFlags extends CommonFlags, TransportFlags {
  last: number;
  all?: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command("history")
    .description("the runs recorded on the selected hosts (verb, who, result, what changed), oldest first")
    .option("--last <n>", "only the last N entries (default 20)", parseCount, 20)
    .option("--all", "every entry");
  withTransportOptions(withCommonOptions(cmd)).action(async (flags: HistoryFlags) => {
    process.exitCode = await showHistory(flags);
  });
}

async function showHistory(flags: HistoryFlags): Promise<number> {
  const common = commonOptions(flags);
  const { inventory, hosts } = selectedHosts(common);
  const last = flags.all === true ? 0 : flags.last;
  const pool = openPool(inventory, hosts, transportOptions(flags));
  let read;
  try {
    read = await readHistories(pool, hosts, last);
  } finally {
    await pool.closeAll();
  }
  const errors: DeployError[] = [];
  const perHost: HistoryEntry[][] = [];
  for (const [host, r] of read) {
    if (r instanceof DeployError) errors.push(r);
    else {
      perHost.push(r.entries);
      if (r.unreadable > 0) process.stderr.write(`warning: ${host}: ${r.unreadable} unreadable history line(s) skipped\n`);
    }
  }
  for (const e of errors) process.stderr.write(`error: ${e.oneLine()}\n`);
  const entries = mergeHistories(perHost, last);
  if (common.json) process.stdout.write(JSON.stringify(entries, null, 2) + "\n");
  else process.stdout.write(formatHistory(entries, common.verbose > 0));
  return errors.length > 0 ? ExitCode.failure : ExitCode.ok;
}

function resultOf(e: HistoryEntry): string {
  return e.error === undefined ? e.result : `${e.result} ${e.error}`;
}

/** Details under a row with -v: every file, container and step, and the command line. */
function details(e: HistoryEntry): string[] {
  const c = e.changes;
  return [
    `    command: ${formatCommand(e.command)}`,
    ...c.files.map((f) => `    file ${f}`),
    ...c.created.map((n) => `    created ${n}`),
    ...c.recreated.map((n) => `    recreated ${n}`),
    ...c.restarted.map((n) => `    restarted ${n}`),
    ...c.steps.map((s) => `    step ${s}`),
    ...(e.truncated === true ? ["    (lists cut short on the host)"] : []),
  ];
}

export function formatHistory(entries: readonly HistoryEntry[], verbose: boolean): string {
  if (entries.length === 0) return "no history on the selected hosts\n";
  const header = ["time", "host", "verb", "who", "result", "took", "changes"];
  const row = (e: HistoryEntry) => [e.at.replace(/\.\d+Z$/, "Z"), e.host, e.verb, `${e.user}@${e.from}`, resultOf(e), `${(e.durationMs / 1000).toFixed(1)}s`, summarizeChanges(e.changes)];
  if (!verbose) return formatTable(header, entries.map(row));
  const table = tableLines(header, entries.map(row));
  const out = [table[0]!];
  entries.forEach((e, i) => out.push(table[i + 1]!, ...details(e)));
  return out.join("\n") + "\n";
}
