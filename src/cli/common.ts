/**
 * The options every kolla-ansible-shaped verb takes, and their parsed form.
 * Commander enters the code base only in src/cli.
 */
import { Command, Option } from "commander";
import { DeployError } from "../errors.js";
import { POOL_DEFAULTS, type HostKeyMode, type TransportPoolOptions } from "../exec/index.js";
import type { CommonOptions } from "../options.js";

export type { CommonOptions } from "../options.js";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function collectCsv(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(",").map((v) => v.trim()).filter((v) => v !== "")];
}

function increase(_value: string, previous: number): number {
  return previous + 1;
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

export function commonOptions(raw: Record<string, unknown>): CommonOptions {
  return {
    inventory: (raw.inventory as string[] | undefined) ?? [],
    configdir: (raw.configdir as string | undefined) ?? defaultConfigDir(),
    passwords: raw.passwords as string | undefined,
    extraVars: (raw.extraVars as string[] | undefined) ?? [],
    tags: (raw.tags as string[] | undefined) ?? [],
    skipTags: (raw.skipTags as string[] | undefined) ?? [],
    limit: raw.limit as string | undefined,
    verbose: (raw.verbose as number | undefined) ?? 0,
    json: (raw.json as boolean | undefined) ?? false,
  };
}

/** Adds the SSH transport flags to a verb; read them back with transportOptions(). */
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

export function transportOptions(raw: Record<string, unknown>): TransportPoolOptions {
  const seconds = (key: string): number | undefined => (typeof raw[key] === "number" ? (raw[key] as number) * 1000 : undefined);
  const options: { -readonly [K in keyof TransportPoolOptions]: TransportPoolOptions[K] } = {};
  if (typeof raw.sshHostKeyChecking === "string") options.hostKeyMode = raw.sshHostKeyChecking as HostKeyMode;
  const connect = seconds("connectTimeout");
  if (connect !== undefined) options.connectTimeoutMs = connect;
  const command = seconds("commandTimeout");
  if (command !== undefined) options.commandTimeoutMs = command;
  if (typeof raw.sshChannels === "number") options.maxChannels = raw.sshChannels;
  return options;
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

