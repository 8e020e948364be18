/**
 * A kolla-deploy working set for the test bed: a config dir (globals.yml pointing at the test bed's
 * registry and stand-in images, passwords.yml filled by genpwd) and an inventory made of the test
 * bed's hosts plus the service/container groups of the project's inventory/multinode.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { REPO_ROOT, runCli, type CliResult } from "./cli.js";
import type { Testbed } from "./testbed.js";

export interface DeployEnv {
  readonly dir: string;
  readonly configdir: string;
  readonly inventory: string;
  /** Runs `kolla-deploy <verb> -i <inventory> --configdir <configdir> ...args`. */
  kd(verb: string, ...args: string[]): CliResult;
}

/** The group layout (everything from [baremetal:children] on) of the project's multinode inventory. */
export function kollaLayout(): string {
  const text = readFileSync(join(REPO_ROOT, "inventory", "multinode"), "utf8");
  const at = text.indexOf("[baremetal:children]");
  if (at < 0) throw new Error("inventory/multinode has no [baremetal:children] section");
  return text.slice(at);
}

export function testbedGlobals(bed: Testbed, extra = ""): string {
  return [
    `kolla_internal_vip_address: "${bed.gateway.replace(/\.1$/, ".250")}"`,
    `network_interface: "eth0"`,
    `neutron_external_interface: "eth1"`,
    `docker_registry: "${bed.registry}"`,
    `docker_registry_insecure: true`,
    `docker_namespace: "kolla"`,
    `openstack_tag: "testbed"`,
    extra,
  ].join("\n") + "\n";
}

export function makeDeployEnv(bed: Testbed, opts: { globals?: string; hostsIni?: string } = {}): DeployEnv {
  const dir = mkdtempSync(join(tmpdir(), "kd-env-"));
  const configdir = join(dir, "etc-kolla");
  mkdirSync(join(configdir, "config"), { recursive: true });
  writeFileSync(join(configdir, "globals.yml"), testbedGlobals(bed, opts.globals ?? ""));
  copyFileSync(join(REPO_ROOT, "etc", "kolla", "passwords.yml"), join(configdir, "passwords.yml"));
  const hosts = opts.hostsIni ?? readFileSync(join(bed.dir, "inventory.ini"), "utf8");
  const inventory = join(dir, "inventory");
  writeFileSync(inventory, `${hosts}\n${kollaLayout()}`);
  const env = { KOLLA_DEPLOY_GENPWD_RSA_BITS: "1024", KOLLA_DEPLOY_LOG_DIR: join(dir, "logs") };
  const gen = runCli(["genpwd", "-p", join(configdir, "passwords.yml")], { env });
  if (gen.code !== 0) throw new Error(`genpwd failed: ${gen.stderr}`);
  return {
    dir,
    configdir,
    inventory,
    kd: (verb, ...args) => runCli([verb, "-i", inventory, "--configdir", configdir, ...args], { env }),
  };
}

/**
 * Removes every container, volume, kolla config and kolla-deploy record from the given hosts (test
 * isolation: a stand-in's volume, such as keystone_fernet_tokens with seeded keys, must not reach
 * the next test's real services).
 */
export const WIPE_HOST_SCRIPT =
  "for e in docker podman; do command -v $e >/dev/null 2>&1 && { $e rm -f $($e ps -aq) >/dev/null 2>&1; " +
  "$e volume rm -f $($e volume ls -q) >/dev/null 2>&1; }; done; " +
  "rm -rf /etc/kolla /var/lib/kolla-deploy; true";

/** A value of the env's passwords.yml (for tests that talk to the deployed services). */
export function readPassword(env: DeployEnv, key: string): string {
  const passwords = parseYaml(readFileSync(join(env.configdir, "passwords.yml"), "utf8")) as Record<string, unknown>;
  const value = passwords[key];
  if (typeof value !== "string") throw new Error(`${key} is not a string in passwords.yml`);
  return value;
}
