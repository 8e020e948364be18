/**
 * A disk cache of compiled templates, so a run does not pay handlebars' compiler again for templates
 * an earlier run compiled (the compiler was the largest single CPU cost of a no-change run). Entries
 * are handlebars' precompiled template specs keyed by the sha256 of the source, in one JSON file per
 * handlebars version and compile options. The file holds code that gets evaluated, so it lives in a
 * directory only its owner can write, and is ignored (never trusted) otherwise. Losing it costs time only.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export interface CompileCache {
  get(sourceHash: string): string | undefined;
  set(sourceHash: string, spec: string): void;
  /** Writes the file when something was added; never throws. */
  save(): void;
}

export function sourceHash(source: string): string {
  return createHash("sha256").update(source).digest("hex");
}

/** KOLLA_DEPLOY_CACHE_DIR, or $XDG_CACHE_HOME/kolla-deploy, or ~/.cache/kolla-deploy; "off" disables it. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const set = env["KOLLA_DEPLOY_CACHE_DIR"];
  if (set === "off") return undefined;
  if (set !== undefined && set !== "") return set;
  return join(env["XDG_CACHE_HOME"] || join(homedir(), ".cache"), "kolla-deploy");
}

/** Ours alone: owned by this user and writable by nobody else (or we cannot tell: no cache). */
function privateDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = statSync(dir);
    const uid = process.getuid?.();
    return st.isDirectory() && (uid === undefined || st.uid === uid) && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

function readEntries(file: string): Map<string, string> {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
    if (typeof parsed !== "object" || parsed === null) return new Map();
    return new Map(Object.entries(parsed as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === "string"));
  } catch {
    return new Map();
  }
}

/** `flavour` names what the specs depend on besides the source (handlebars version, compile options). */
export function openCompileCache(dir: string, flavour: string): CompileCache {
  const file = join(dir, `templates-${sourceHash(flavour).slice(0, 16)}.json`);
  // Read on first use, so verbs that render nothing never touch it.
  let entries: Map<string, string> | undefined;
  const loaded = () => (entries ??= privateDir(dir) ? readEntries(file) : new Map());
  let added = false;
  return {
    get: (hash) => loaded().get(hash),
    set: (hash, spec) => {
      loaded().set(hash, spec);
      added = true;
    },
    save: () => {
      if (!added || entries === undefined || !privateDir(dir)) return;
      try {
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, JSON.stringify(Object.fromEntries(entries)), { mode: 0o600 });
        renameSync(tmp, file); // atomic: a concurrent run reads the old file or the new one
        added = false;
      } catch {
        // a cache that cannot be written costs the next run time, nothing else
      }
    },
  };
}
