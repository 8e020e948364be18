/**
 * The hosts a benchmark runs against (the real test bed, or the simulated light hosts) and a
 * kolla-deploy working set for them: a config dir (globals pointing at the test bed's registry and
 * stand-in images; one shared passwords.yml) and an inventory made of the hosts plus the service
 * groups of the project's inventory/multinode, as tests/helpers/deploy-env.ts does.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { assertRoutesVia, type RemoteHost } from "./remote.js";

export const REPO = resolve(import.meta.dirname, "..", "..");
export const KD = join(REPO, "bin", "kolla-deploy");

export interface BenchBed {
  readonly kind: "testbed" | "light";
  readonly dir: string;
  readonly bridge: string;
  readonly gateway: string;
  readonly key: string;
  readonly knownHosts: string;
  readonly hosts: readonly { readonly name: string; readonly address: string }[];
  readonly sshdLog: (host: string) => string;
  /** cpuacct cgroups holding the hosts' processes (they share this machine's cores with the controller) */
  readonly cpuacct: readonly string[];
}

interface BedJson {
  hosts: { name: string; address: string }[];
  sshKey: string;
  knownHosts: string;
  bridge: string;
  gateway: string;
  prefix?: string;
  cpuacct?: string;
}

export function loadBed(kind: BenchBed["kind"], dir: string): BenchBed {
  const raw = JSON.parse(readFileSync(join(dir, "inventory.json"), "utf8")) as BedJson;
  for (const h of raw.hosts) assertRoutesVia(h.address, raw.bridge);
  const sshdLog = kind === "testbed" ? (h: string) => join(dir, "hosts", h, "log", "sshd.log") : (h: string) => join(dir, "hosts", h, "sshd.log");
  const groups = kind === "testbed" ? raw.hosts.map((h) => `/sys/fs/cgroup/cpuacct/${raw.prefix ?? "kt"}-${h.name}`) : raw.cpuacct ? [raw.cpuacct] : [];
  const cpuacct = groups.filter((g) => existsSync(join(g, "cpuacct.usage")));
  return { kind, dir, bridge: raw.bridge, gateway: raw.gateway, key: raw.sshKey, knownHosts: raw.knownHosts, hosts: raw.hosts, sshdLog, cpuacct };
}

export function remoteHost(bed: BenchBed, name: string): RemoteHost {
  const h = bed.hosts.find((x) => x.name === name);
  if (h === undefined) throw new Error(`no host ${name} in ${bed.dir}`);
  return { name, address: h.address, key: bed.key, knownHosts: bed.knownHosts, bridge: bed.bridge };
}

/** CPU time (ms) the hosts' processes have used so far, from their cpuacct cgroups. */
export function hostsCpuMs(bed: BenchBed): number {
  return bed.cpuacct.reduce((sum, g) => sum + Number(readFileSync(join(g, "cpuacct.usage"), "utf8")) / 1e6, 0);
}

/** "all": every host in every group (the test bed's shape); "control3": 3 controllers, the rest compute only. */
export type Layout = "all" | "control3";

export interface Workspace {
  readonly dir: string;
  readonly configdir: string;
  readonly inventory: string;
  readonly env: NodeJS.ProcessEnv;
  readonly hosts: readonly string[];
}

const CONTROL_GROUPS = ["control", "network", "storage", "monitoring"];

function hostsIni(bed: BenchBed, layout: Layout): string {
  const common = `ansible_user=root ansible_ssh_private_key_file=${bed.key} ansible_ssh_common_args='-o UserKnownHostsFile=${bed.knownHosts}'`;
  const line = (h: { name: string; address: string }) => `${h.name} ansible_host=${h.address} ${common}`;
  const controllers = layout === "all" ? bed.hosts : bed.hosts.slice(0, 3);
  const sections = CONTROL_GROUPS.map((g) => `[${g}]\n${controllers.map(line).join("\n")}\n`);
  sections.push(`[compute]\n${bed.hosts.map(line).join("\n")}\n`, "[deployment]\n");
  return sections.join("\n");
}

function kollaLayout(): string {
  const text = readFileSync(join(REPO, "inventory", "multinode"), "utf8");
  const at = text.indexOf("[baremetal:children]");
  if (at < 0) throw new Error("inventory/multinode has no [baremetal:children] section");
  return text.slice(at);
}

function globals(bed: BenchBed, registry: string): string {
  return [
    `kolla_internal_vip_address: "${bed.gateway.replace(/\.1$/, ".250")}"`,
    `network_interface: "eth0"`,
    `neutron_external_interface: "eth1"`,
    `docker_registry: "${registry}"`,
    `docker_registry_insecure: true`,
    `docker_namespace: "kolla"`,
    `openstack_tag: "testbed"`,
  ].join("\n") + "\n";
}

/** One passwords.yml for every working set: the light hosts replay containers whose env holds them. */
export function sharedPasswords(out: string): string {
  const file = join(out, "passwords.yml");
  if (existsSync(file)) return file;
  mkdirSync(out, { recursive: true });
  copyFileSync(join(REPO, "etc", "kolla", "passwords.yml"), file);
  const r = spawnSync(KD, ["genpwd", "-p", file], { encoding: "utf8", env: { ...process.env, KOLLA_DEPLOY_GENPWD_RSA_BITS: "1024", KOLLA_DEPLOY_LOG_DIR: join(out, "logs") } });
  if (r.status !== 0) throw new Error(`genpwd failed: ${r.stderr}`);
  return file;
}

export function makeWorkspace(bed: BenchBed, dir: string, opts: { registry: string; layout: Layout; passwords: string }): Workspace {
  rmSync(dir, { recursive: true, force: true });
  const configdir = join(dir, "etc-kolla");
  mkdirSync(join(configdir, "config"), { recursive: true });
  writeFileSync(join(configdir, "globals.yml"), globals(bed, opts.registry));
  copyFileSync(opts.passwords, join(configdir, "passwords.yml"));
  const inventory = join(dir, "inventory");
  writeFileSync(inventory, `${hostsIni(bed, opts.layout)}\n${kollaLayout()}`);
  const env = { ...process.env, KOLLA_DEPLOY_LOG_DIR: join(dir, "logs") };
  return { dir, configdir, inventory, env, hosts: bed.hosts.map((h) => h.name) };
}

/** The one-change case's override: one option of one service (placement), a new value each time. */
export function writeOverride(ws: Workspace, value: string | undefined): void {
  const file = join(ws.configdir, "config", "placement.conf");
  if (value === undefined) rmSync(file, { force: true });
  else writeFileSync(file, `[DEFAULT]\nkd_bench_marker = ${value}\n`);
}
export const ONE_CHANGE_CONTAINER = "placement_api";
