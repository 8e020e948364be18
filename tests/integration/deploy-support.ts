/**
 * Support for the deploy end-to-end tests: what the hosts hold (containers with Id/StartedAt, and the
 * mtime/ctime of every file kolla-deploy may write), what changed between two snapshots, the
 * expectations derived from roles + inventory, the planned changes of a `--json` plan, and every
 * passwords.yml value to grep for. Not a test file itself (vitest only runs *.test.ts).
 */
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { expect } from "vitest";
import { prepare, type Prepared } from "../../src/apply/prepare.js";
import { commonOptions } from "../../src/cli/common.js";
import { toBool } from "../../src/config/index.js";
import { groupNames } from "../../src/inventory/index.js";
import { REPO_ROOT, type CliResult } from "../helpers/cli.js";
import type { DeployEnv } from "../helpers/deploy-env.js";
import { runOnHost } from "../helpers/ssh-runner.js";
import type { Testbed } from "../helpers/testbed.js";

export interface ContainerSnap {
  readonly id: string;
  readonly startedAt: string;
  readonly status: string;
}

export interface HostSnap {
  readonly containers: ReadonlyMap<string, ContainerSnap>;
  /** path → "mtime ctime" of every config file (/etc/kolla) and of the host record */
  readonly files: ReadonlyMap<string, string>;
}

export type Snapshot = ReadonlyMap<string, HostSnap>;

// The lock file and history.jsonl next to state.json record every run by design: not watched.

const SNAPSHOT_SCRIPT =
  "ids=$(docker ps -aq); [ -z \"$ids\" ] || docker inspect --format 'c {{.Name}} {{.Id}} {{.State.StartedAt}} {{.State.Status}}' $ids; " +
  "find /etc/kolla /var/lib/kolla-deploy/state.json -type f -printf 'f %T@ %C@ %p\\n' 2>/dev/null; true";

async function snapshotHost(bed: Testbed, host: string): Promise<HostSnap> {
  const r = await runOnHost(bed, host, ["sh", "-c", SNAPSHOT_SCRIPT], { timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`snapshot of ${host} failed: ${r.stderr}`);
  const containers = new Map<string, ContainerSnap>();
  const files = new Map<string, string>();
  for (const line of r.stdout.split("\n")) {
    const c = /^c \/(\S+) (\S+) (\S+) (\S+)$/.exec(line);
    if (c !== null) containers.set(c[1]!, { id: c[2]!, startedAt: c[3]!, status: c[4]! });
    const f = /^f (\S+) (\S+) (.+)$/.exec(line);
    if (f !== null) files.set(f[3]!, `${f[1]} ${f[2]}`);
  }
  return { containers, files };
}

export async function snapshot(bed: Testbed, hosts: readonly string[]): Promise<Snapshot> {
  const snaps = await Promise.all(hosts.map((h) => snapshotHost(bed, h)));
  return new Map(hosts.map((h, i) => [h, snaps[i]!]));
}

/** "host/container how" for every container created, recreated (new Id), restarted (new StartedAt) or removed. */
export function containerChanges(before: Snapshot, after: Snapshot): string[] {
  const out: string[] = [];
  for (const [host, a] of after) {
    const b = before.get(host)!;
    for (const [name, now] of a.containers) {
      const was = b.containers.get(name);
      if (was === undefined) out.push(`${host}/${name} created`);
      else if (was.id !== now.id) out.push(`${host}/${name} recreated`);
      else if (was.startedAt !== now.startedAt) out.push(`${host}/${name} restarted`);
    }
    for (const name of b.containers.keys()) if (!a.containers.has(name)) out.push(`${host}/${name} removed`);
  }
  return out.sort();
}

/** "host:path" of every file written (mtime or ctime moved), created or removed. */
export function fileChanges(before: Snapshot, after: Snapshot): string[] {
  const out: string[] = [];
  for (const [host, a] of after) {
    const b = before.get(host)!;
    for (const [path, stamp] of a.files) if (b.files.get(path) !== stamp) out.push(`${host}:${path}`);
    for (const path of b.files.keys()) if (!a.files.has(path)) out.push(`${host}:${path} removed`);
  }
  return out.sort();
}

export function prepared(env: DeployEnv, extra: Record<string, unknown> = {}): Prepared {
  return prepare(commonOptions({ inventory: [env.inventory], configdir: env.configdir, ...extra }));
}

/** host → container names its groups and enable_* flags call for, from roles + inventory + variables. */
export function expectedContainers(p: Prepared, hosts: readonly string[]): Map<string, string[]> {
  const expected = new Map<string, string[]>();
  for (const host of hosts) {
    const groups = groupNames(p.inventory, host);
    const vars = p.config.varsFor(host);
    const names = p.allRoles
      .flatMap((r) => r.services)
      .filter((s) => s.groups.some((g) => groups.includes(g)) && s.enabled.every((flag) => toBool(vars[flag])))
      .map((s) => s.containerName);
    expected.set(host, names.sort());
  }
  return expected;
}

/** role of every container name */
export function roleOf(p: Prepared): Map<string, string> {
  return new Map(p.allRoles.flatMap((r) => r.services.map((s) => [s.containerName, r.name] as const)));
}

/** Container names whose config files read the given override pattern (as role.yml writes it). */
export function readersOf(p: Prepared, pattern: string): Set<string> {
  const services = p.allRoles.flatMap((r) => r.services);
  return new Set(services.filter((s) => s.configFiles.some((f) => f.overrides.includes(pattern))).map((s) => s.containerName));
}

// --- running the CLI with stdout in a file or behind a slow reader -----------------------------

function kdArgv(env: DeployEnv, verb: string, args: readonly string[]): string[] {
  const main = join(REPO_ROOT, "src", "main.ts");
  return [process.execPath, "--import", import.meta.resolve("tsx"), main, verb, "-i", env.inventory, "--configdir", env.configdir, ...args];
}

function cliEnv(env: DeployEnv): NodeJS.ProcessEnv {
  return { ...process.env, KOLLA_DEPLOY_LOG_DIR: join(env.dir, "logs") };
}

/**
 * Like env.kd, but stdout goes to a file: writes to a file are synchronous in node, so a plan
 * larger than a pipe's 64 KiB arrives whole even if the process exits right after writing it.
 */
export function kdToFile(env: DeployEnv, verb: string, ...args: string[]): CliResult {
  const dir = mkdtempSync(join(tmpdir(), "kd-out-"));
  const out = join(dir, "stdout");
  const fd = openSync(out, "w");
  try {
    const [file, ...rest] = kdArgv(env, verb, args);
    const r = spawnSync(file!, rest, { cwd: REPO_ROOT, env: cliEnv(env), stdio: ["ignore", fd, "pipe"], encoding: "utf8" });
    return { code: r.status ?? -1, stdout: readFileSync(out, "utf8"), stderr: r.stderr };
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `kolla-deploy ... | slow reader`: the reader starts only once the CLI has exited (or after 10 s,
 * so a CLI that rightly waits for its output to drain is not deadlocked). A CLI that exits with
 * output still queued loses everything beyond the pipe's 64 KiB: this makes that deterministic.
 */
const SLOW_READER = 't=$(mktemp -d); { "$@"; echo $? > "$t/rc"; } | ' +
  '{ i=0; while [ ! -e "$t/rc" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; cat; }; rm -rf "$t"';

export function kdThroughSlowPipe(env: DeployEnv, verb: string, ...args: string[]): CliResult {
  const r = spawnSync("sh", ["-c", SLOW_READER, "sh", ...kdArgv(env, verb, args)], {
    cwd: REPO_ROOT, env: cliEnv(env), encoding: "utf8", maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

// --- the --json plan ------------------------------------------------------------------------

export interface JsonPlan {
  plan: {
    verb: string;
    roles: string[];
    warnings: string[];
    hosts: {
      host: string;
      files: { path: string; action: string; reasons: string[]; diff?: string }[];
      containers: { role: string; service: string; container: string; action: string; reasons: string[]; spec: { name: string; image: string }; configHash: string; fileHashes: Record<string, string> }[];
      bootstrap: { role: string; step: string; description: string; reason: string }[];
      run: { phase: string; what: string; commands?: { argv: string[]; stdin?: string }[]; uploads?: { path: string }[]; record?: string }[];
    }[];
  };
  failed: Record<string, { code: string; message: string }>;
}

export function parsePlan(stdout: string): JsonPlan {
  return JSON.parse(stdout) as JsonPlan;
}

/** "host/container" of every container the plan changes. */
export function plannedContainers(plan: JsonPlan): string[] {
  return plan.plan.hosts.flatMap((h) => h.containers.filter((c) => c.action !== "none").map((c) => `${h.host}/${c.container}`)).sort();
}

/** "host:path" of every file the plan writes. */
export function plannedFiles(plan: JsonPlan): string[] {
  return plan.plan.hosts.flatMap((h) => h.files.filter((f) => f.action !== "unchanged").map((f) => `${h.host}:${f.path}`)).sort();
}

/** "host/container restarted" for the planned restarts, in containerChanges' words. */
export function asRestarts(planned: readonly string[]): string[] {
  return planned.map((c) => `${c} restarted`).sort();
}

// --- secrets --------------------------------------------------------------------------------

/** Every passwords.yml value, and each line of multi-line ones (a key printed in a diff is cut into lines). */
export function passwordValues(passwordsFile: string): string[] {
  const found = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === "string" && v.trim() !== "") {
      found.add(v.trim());
      for (const line of v.split("\n")) if (line.trim().length >= 16 && !line.startsWith("-----")) found.add(line.trim());
    } else if (v !== null && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(parse(readFileSync(passwordsFile, "utf8")));
  return [...found];
}

export function expectNoSecrets(what: string, text: string, secrets: readonly string[]): void {
  const leaked = secrets.filter((s) => text.includes(s)).map((s) => `${s.slice(0, 4)}… (${s.length} chars)`);
  expect(leaked, `${what} shows passwords.yml values`).toEqual([]);
}
