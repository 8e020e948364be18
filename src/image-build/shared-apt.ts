/**
 * apt in build roots that share one apt cache (lists and archives are bind mounts from the cache
 * directory), while `--threads` builds several roots at once. apt locks the shared archives
 * directory and fails at once when another apt holds it, so:
 *   - `apt-get update` and the download run one at a time, under an in-process queue and a flock
 *     on a file in the cache (another kolla-deploy build using the same cache waits too);
 *   - the install itself then runs in parallel without apt's lock (see aptInstallArgv).
 * The lists are updated when a root's apt sources differ from those of the last update in this
 * run: base's own layer sees debootstrap's sources (suite main only); every image below it sees
 * base's sources.list with -updates and -security. Images built side by side must share their
 * sources, which every image below base does.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { CommandResult } from "../command.js";
import { limiter, type Limiter } from "../limit.js";
import { APT_ENV, aptDownloadArgv, aptInstallArgv, aptUpdateArgv } from "./apt.js";
import { chrootArgv } from "./mounts.js";

export type LocalRunner = (argv: readonly string[]) => Promise<CommandResult>;

/** A failed step of the fetch, with apt's output. */
export interface AptFailure {
  readonly step: "update" | "download";
  readonly result: CommandResult;
}

/** The apt sources a root would update from: sources.list and sources.list.d/*, as text. */
export function aptSources(merged: string): string {
  const dir = join(merged, "etc/apt");
  const read = (path: string) => {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return "";
    }
  };
  let parts: string[] = [];
  try {
    parts = readdirSync(join(dir, "sources.list.d")).sort().map((name) => `${name}\n${read(join(dir, "sources.list.d", name))}`);
  } catch {
    // no sources.list.d
  }
  return [read(join(dir, "sources.list")), ...parts].join("\n--\n");
}

export class SharedApt {
  private readonly serial: Limiter = limiter(1);
  /** The sources the shared lists were last updated from in this run. */
  private listsFrom: string | undefined;

  constructor(
    private readonly lockFile: string,
    private readonly run: LocalRunner,
  ) {}

  /** Updates the lists if this root's sources need it, then downloads `packages`' .debs. */
  async fetch(merged: string, packages: readonly string[], step: (what: string) => void): Promise<AptFailure | undefined> {
    return this.serial.add(async () => {
      const sources = aptSources(merged);
      if (this.listsFrom !== sources) {
        step("apt-get update");
        const update = await this.locked(merged, aptUpdateArgv());
        if (update.code !== 0) return { step: "update", result: update };
        this.listsFrom = sources;
      }
      step("apt-get download");
      const download = await this.locked(merged, aptDownloadArgv(packages));
      return download.code === 0 ? undefined : { step: "download", result: download };
    });
  }

  /** Installs what fetch downloaded; runs beside other roots' installs. */
  install(merged: string, packages: readonly string[]): Promise<CommandResult> {
    return this.run(chrootArgv(merged, APT_ENV, aptInstallArgv(packages)));
  }

  private locked(merged: string, argv: readonly string[]): Promise<CommandResult> {
    return this.run(["flock", this.lockFile, ...chrootArgv(merged, APT_ENV, argv)]);
  }
}
