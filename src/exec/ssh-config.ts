/**
 * ~/.ssh/config: parsed into Host blocks, then resolved for one host name the way OpenSSH does
 * (every matching block in file order, first obtained value wins). `Match` blocks are skipped.
 */
import { applySshOption, emptyOptionSet, type SshOptionSet } from "./ssh-options.js";

export interface SshConfigBlock {
  /** Patterns of the Host line; the options before any Host line get ["*"]. */
  readonly patterns: readonly string[];
  /** True for a `Match` block, which we do not evaluate and so never apply. */
  readonly unsupported: boolean;
  readonly options: ReadonlyArray<{ key: string; value: string; line: number }>;
}

/** Parses config text into blocks. Never throws: like OpenSSH we read what we understand. */
export function parseSshConfig(text: string): SshConfigBlock[] {
  const blocks: { patterns: string[]; unsupported: boolean; options: { key: string; value: string; line: number }[] }[] =
    [{ patterns: ["*"], unsupported: false, options: [] }];
  text.split(/\r?\n/).forEach((raw, index) => {
    const parsed = parseConfigLine(raw);
    if (parsed === undefined) return;
    const lower = parsed.key.toLowerCase();
    if (lower === "host") {
      blocks.push({ patterns: parsed.value.split(/\s+/).filter((p) => p !== ""), unsupported: false, options: [] });
    } else if (lower === "match") {
      blocks.push({ patterns: [], unsupported: true, options: [] });
    } else {
      blocks[blocks.length - 1]!.options.push({ ...parsed, line: index + 1 });
    }
  });
  return blocks;
}

function parseConfigLine(raw: string): { key: string; value: string } | undefined {
  const line = raw.trim();
  if (line === "" || line.startsWith("#")) return undefined;
  const match = /^([A-Za-z]+)\s*(?:=\s*|\s+)(.*)$/.exec(line);
  if (match === null) return undefined;
  let value = match[2]!.trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
  return { key: match[1]!, value };
}

/** The options that apply to `host`, merged into `into` (whose earlier values win). */
export function resolveSshConfig(
  blocks: readonly SshConfigBlock[],
  host: string,
  into: SshOptionSet = emptyOptionSet(),
): SshOptionSet {
  for (const block of blocks) {
    if (block.unsupported || !hostMatchesPatterns(host, block.patterns)) continue;
    for (const { key, value } of block.options) {
      try {
        applySshOption(into, key, value);
      } catch {
        // A malformed value in a user's config is skipped rather than failing every host.
      }
    }
  }
  return into;
}

/** OpenSSH pattern lists: any positive match and no negated (`!`) match. */
export function hostMatchesPatterns(host: string, patterns: readonly string[]): boolean {
  let matched = false;
  for (const pattern of patterns.flatMap((p) => p.split(","))) {
    if (pattern.startsWith("!")) {
      if (globMatch(host, pattern.slice(1))) return false;
    } else if (globMatch(host, pattern)) {
      matched = true;
    }
  }
  return matched;
}

/** `*` and `?` wildcards, case-insensitive as OpenSSH host matching is. */
export function globMatch(text: string, pattern: string): boolean {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`, "i").test(text);
}
