/**
 * The flags verbs share: kolla-ansible's common flags, the SSH transport flags, --forks, the lock
 * flags and the confirmation flag. Each `with...` adds a group to a verb; each `...Flags` interface
 * is that group as commander hands it to the verb's action; the functions below turn them, once,
 * into the typed options the layers below take. Commander enters the code base only in src/cli.
 */
import { Command, Option } from "commander";
import { DeployError } from "../errors.js";
import { POOL_DEFAULTS, type HostKeyMode, type TransportPoolOptions } from "../exec/index.js";
import { LOCK_DEFAULTS, type LockOptions } from "../lock/index.js";
import type { CommonOptions } from "../options.js";

export type { CommonOptions } from "../options.js";

/** What withCommonOptions adds. */
export interface CommonFlags {
  inventory: string[];
  configdir: string;
  passwords?: string;
  extraVars: string[];
  tags: string[];
  skipTags: string[];
  limit?: string;
  verbose: number;
  json: boolean;
}

/** What withTransportOptions adds (seconds as given; transportOptions() makes them milliseconds). */
export interface TransportFlags {
  sshHostKeyChecking?: HostKeyMode;
  connectTimeout?: number;
  commandTimeout?: number;
  sshChannels?: number;
}

/** `--forks <n>`: hosts worked on at once. */
export interface ForksFlags {
  forks: number;
}

/** What withLockOptions adds. */
export interface LockFlags {
  lockWait?: number;
  lockStaleAfter?: number;
}

/** CONFIRM_FLAG, for the verbs that destroy or take services down. */
export interface ConfirmFlags {
  yesIReallyReallyMeanIt?: boolean;
}

/** What a verb that talks to hosts runs with, parsed from its flags (runOptions()). */
export interface RunOptions {
  readonly common: CommonOptions;
  readonly transport: TransportPoolOptions;
  readonly forks: number;
}

export const CONFIRM_FLAG = "--yes-i-really-really-mean-it";
const DEFAULT_FORKS = 100;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function collectCsv(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(",").map((v) => v.trim()).filter((v) => v !== "")];
}

function increase(_value: string, previous: number): number {
  return previous + 1;
}

export function parseSeconds(value: string): number {
  const n = Number(value);
  if (!(n > 0)) throw new DeployError("E_USAGE", `expected a positive number of seconds, got "${value}"`, "e.g. --connect-timeout 10");
  return n;
}

export function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new DeployError("E_USAGE", `expected a positive whole number, got "${value}"`, "e.g. --forks 20");
  return n;
}

function parseWait(value: string): number {
  const n = Number(value);
  if (!(n >= 0) || !Number.isFinite(n)) throw new DeployError("E_USAGE", `expected a number of seconds (0 or more), got "${value}"`, "e.g. --lock-wait 600");
  return n;
}

export function defaultConfigDir(): string {
  return process.env.KOLLA_CONFIG_PATH ?? "/etc/kolla";
}

/** Adds kolla-ansible's common flags to a verb. */
export function withCommonOptions(cmd: Command): Command {
  return cmd
    .option("-i, --inventory <path>", "inventory file or directory (repeatable)", collect, [])
    .option("--configdir <dir>", "kolla config directory ($KOLLA_CONFIG_PATH or /etc/kolla)", defaultConfigDir())
    .option("--passwords <file>", "passwords file (default <configdir>/passwords.yml)")
    .option("-e, --extra-vars <vars>", "extra variables: k=v, JSON, or @file (repeatable)", collect, [])
    .option("-t, --tags <tags>", "only these services (comma-separated, repeatable)", collectCsv, [])
    .option("--skip-tags <tags>", "skip these services (comma-separated, repeatable)", collectCsv, [])
    .option("-l, --limit <pattern>", "Ansible host pattern restricting the hosts")
    .addOption(new Option("-v, --verbose", "more output (repeatable)").argParser(increase).default(0))
    .option("--json", "machine-readable JSON output", false);
}

/** Adds the SSH transport flags to a verb. */
export function withTransportOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option("--ssh-host-key-checking <mode>", "unknown host keys: strict refuses, accept-new records them, no accepts without recording (a changed key always fails)")
        .choices(["strict", "accept-new", "no"]),
    )
    .option("--connect-timeout <seconds>", `SSH connect timeout (default ${POOL_DEFAULTS.connectTimeoutMs / 1000})`, parseSeconds)
    .option("--command-timeout <seconds>", "per-command timeout (default none)", parseSeconds)
    .option("--ssh-channels <n>", `concurrent SSH channels per host, below sshd MaxSessions (default ${POOL_DEFAULTS.maxChannels})`, parseCount);
}

/** Adds the lock flags to a changing verb, so every verb holds the lock the same way. */
export function withLockOptions(cmd: Command): Command {
  return cmd
    .option("--lock-wait <seconds>", "wait up to this long for another run's lock, then refuse (default 0: refuse at once)", parseWait, 0)
    .option("--lock-stale-after <seconds>", `take over a lock from another deployment host whose heartbeat is older than this (default ${LOCK_DEFAULTS.staleAfterSec})`, parseSeconds);
}

/** A lifecycle verb with kolla's common flags, the transport flags and --forks (and the lock flags if it changes hosts). */
export function lifecycleCommand(program: Command, name: string, description: string, opts: { changes?: boolean } = {}): Command {
  const cmd = program.command(name).description(description).option("--forks <n>", "hosts worked on at once", parseCount, DEFAULT_FORKS);
  const withTransport = withTransportOptions(withCommonOptions(cmd));
  return opts.changes === true ? withLockOptions(withTransport) : withTransport;
}

/** Destructive verbs refuse to run, before reading anything, unless the operator confirms. */
export function requireConfirmation(flags: ConfirmFlags, verb: string, what: string): void {
  if (flags.yesIReallyReallyMeanIt === true) return;
  throw new DeployError("E_USAGE", `${verb} ${what}; it refuses to run without ${CONFIRM_FLAG}`, `if you mean it: kolla-deploy ${verb} ${CONFIRM_FLAG} ...`);
}

/** The common options, with commander's defaults for whatever a caller (a test, the benchmark) leaves out. */
export function commonOptions(flags: Partial<CommonFlags>): CommonOptions {
  return {
    inventory: flags.inventory ?? [],
    configdir: flags.configdir ?? defaultConfigDir(),
    passwords: flags.passwords,
    extraVars: flags.extraVars ?? [],
    tags: flags.tags ?? [],
    skipTags: flags.skipTags ?? [],
    limit: flags.limit,
    verbose: flags.verbose ?? 0,
    json: flags.json ?? false,
  };
}

export function transportOptions(flags: TransportFlags): TransportPoolOptions {
  const ms = (seconds: number | undefined) => (seconds === undefined ? undefined : seconds * 1000);
  const connectTimeoutMs = ms(flags.connectTimeout);
  const commandTimeoutMs = ms(flags.commandTimeout);
  return {
    ...(flags.sshHostKeyChecking === undefined ? {} : { hostKeyMode: flags.sshHostKeyChecking }),
    ...(connectTimeoutMs === undefined ? {} : { connectTimeoutMs }),
    ...(commandTimeoutMs === undefined ? {} : { commandTimeoutMs }),
    ...(flags.sshChannels === undefined ? {} : { maxChannels: flags.sshChannels }),
  };
}

export function runOptions(flags: Partial<CommonFlags> & TransportFlags & Partial<ForksFlags>): RunOptions {
  return { common: commonOptions(flags), transport: transportOptions(flags), forks: flags.forks ?? DEFAULT_FORKS };
}

export function lockOptions(flags: LockFlags, notify: (message: string) => void): LockOptions {
  return {
    waitSec: flags.lockWait ?? 0,
    ...(flags.lockStaleAfter === undefined ? {} : { staleAfterSec: flags.lockStaleAfter }),
    notify,
  };
}
