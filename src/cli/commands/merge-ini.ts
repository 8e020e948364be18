/**
 * `kolla-deploy merge-ini [--no-whitespace] FILE...`: prints what kolla's merge_configs would write
 * for these files (no templating). Missing or unreadable files are skipped, as kolla skips them,
 * but each skip is reported on stderr so a misplaced override does not go unnoticed.
 */
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { mergeIni, type IniSource } from "../../merge/index.js";

interface MergeIniOptions {
  whitespace: boolean;
}

export function register(program: Command): void {
  program
    .command("merge-ini")
    .description("merge INI files exactly as kolla-ansible's merge_configs does and print the result")
    .argument("<files...>", "INI files, lowest precedence first; missing files are skipped")
    .option("--no-whitespace", "write key=value instead of key = value (merge_configs whitespace: false)")
    .action(async (files: string[], options: MergeIniOptions) => {
      const sources = await readSources(files);
      process.stdout.write(mergeIni(sources, { whitespace: options.whitespace }));
    });
}

/** Reads every readable file in order; reports each skipped one on stderr. */
async function readSources(files: readonly string[]): Promise<IniSource[]> {
  const sources: IniSource[] = [];
  for (const path of files) {
    try {
      sources.push({ path, text: await readFile(path, "utf8") });
    } catch (error) {
      process.stderr.write(`note: skipping ${path}: ${describeReadError(error)}\n`);
    }
  }
  return sources;
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "file does not exist";
  if (code === "EACCES") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  return error instanceof Error ? error.message : String(error);
}
