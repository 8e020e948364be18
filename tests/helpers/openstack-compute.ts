/**
 * What an operator does with a fresh cloud, for the compute e2e: the provider network on the test
 * bed's eth1, a tenant network behind a router, a flavor, a keypair, ICMP/HTTP rules, the guest
 * image (tools/guest-image) in glance, and then a server whose console log proves the guest booted,
 * got neutron's address by DHCP and read the metadata service.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, type CliResult } from "./cli.js";
import type { Testbed } from "./testbed.js";

/** Runs `openstack ARGS` (checked by the caller's `ok`); JSON output parsed by the callers. */
export type OpenstackCli = (...args: string[]) => CliResult;

export const NAMES = {
  external: "kd-public",
  externalSubnet: "kd-public-subnet",
  tenant: "kd-net",
  tenantSubnet: "kd-subnet",
  router: "kd-router",
  flavor: "kd.tiny",
  keypair: "kd-key",
  image: "kd-guest",
} as const;

/** The tenant subnet: the guest's lease must come from here. */
export const TENANT_CIDR = "10.77.0.0/24";

export const GUEST = {
  ready: "KOLLA-DEPLOY-GUEST-READY",
  lease: /KOLLA-GUEST-LEASE ip=(\S+) mask=(\S+) router=(\S*) mtu=(\S*)/,
  instanceId: /KOLLA-GUEST-INSTANCE-ID (\S+)/,
  metadataBytes: /KOLLA-GUEST-METADATA-BYTES (\d+)/,
  pubkey: /KOLLA-GUEST-PUBKEY (\S+ \S+|none)/,
  done: "KOLLA-GUEST-BOOT-DONE",
} as const;

export interface GuestImageFiles { vmlinuz: string; initrd: string; root: string }

/** Builds (or finds cached) the guest image with the project's script; its paths. */
export function buildGuestImage(): GuestImageFiles {
  const out = execFileSync("bash", [join(REPO_ROOT, "tools", "guest-image", "build.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], timeout: 20 * 60_000 });
  const paths = out.trim().split("\n");
  const find = (name: string) => {
    const p = paths.find((x) => x.endsWith(`/${name}`));
    if (p === undefined || !existsSync(p)) throw new Error(`guest image build printed no ${name}: ${out}`);
    return p;
  };
  return { vmlinuz: find("vmlinuz"), initrd: find("initrd.img"), root: find("root.img") };
}

const json = <T>(r: CliResult): T => JSON.parse(r.stdout) as T;

/** The external network on physnet1 (eth1 of every host), its subnet = the test bed's external /24. */
export function createNetworks(cli: OpenstackCli, bed: Testbed): { routerGateway: string } {
  const ext = bed.external;
  if (ext === undefined) throw new Error("the test bed has no external network (re-create it with this checkout's testbed.sh)");
  const prefix = ext.cidr.replace(/\.0\/24$/, "");
  cli("network", "create", "--external", "--provider-network-type", "flat", "--provider-physical-network", "physnet1", NAMES.external);
  cli("subnet", "create", "--network", NAMES.external, "--subnet-range", ext.cidr, "--gateway", ext.gateway, "--no-dhcp",
    "--allocation-pool", `start=${prefix}.100,end=${prefix}.199`, NAMES.externalSubnet);
  cli("network", "create", NAMES.tenant);
  cli("subnet", "create", "--network", NAMES.tenant, "--subnet-range", TENANT_CIDR, NAMES.tenantSubnet);
  cli("router", "create", NAMES.router);
  cli("router", "set", "--external-gateway", NAMES.external, NAMES.router);
  cli("router", "add", "subnet", NAMES.router, NAMES.tenantSubnet);
  const router = json<{ external_gateway_info: { external_fixed_ips: { ip_address: string }[] } }>(cli("router", "show", "-f", "json", NAMES.router));
  return { routerGateway: router.external_gateway_info.external_fixed_ips[0]!.ip_address };
}

/** Flavor, keypair (a fresh ed25519 key in dir), and ICMP + HTTP into the default security group. */
export function createAccessAndFlavor(cli: OpenstackCli, dir: string, project: string): { publicKey: string } {
  cli("flavor", "create", "--ram", "256", "--disk", "1", "--vcpus", "1", NAMES.flavor);
  const key = join(dir, "kd-key");
  if (!existsSync(key)) execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "kd-e2e", "-f", key]);
  cli("keypair", "create", "--public-key", `${key}.pub`, NAMES.keypair);
  const groups = json<{ ID: string; Name: string; Project: string }[]>(cli("security", "group", "list", "--project", project, "-f", "json"));
  const group = groups.find((g) => g.Name === "default");
  if (group === undefined) throw new Error(`no default security group in project ${project}`);
  cli("security", "group", "rule", "create", "--protocol", "icmp", "--ingress", group.ID);
  cli("security", "group", "rule", "create", "--protocol", "tcp", "--dst-port", "80", "--ingress", group.ID);
  return { publicKey: readFileSync(`${key}.pub`, "utf8").trim() };
}

/**
 * kernel (aki) + ramdisk (ari) + the tiny root disk that names them: nova boots the kernel directly.
 * The root disk is "raw", not "ami": Zed's image format check refuses raw content labelled ami.
 */
export function uploadGuestImage(cli: OpenstackCli, files: GuestImageFiles): void {
  const kernel = json<{ id: string }>(cli("image", "create", "-f", "json", "--disk-format", "aki", "--container-format", "aki", "--file", files.vmlinuz, `${NAMES.image}-kernel`));
  const ramdisk = json<{ id: string }>(cli("image", "create", "-f", "json", "--disk-format", "ari", "--container-format", "ari", "--file", files.initrd, `${NAMES.image}-ramdisk`));
  cli("image", "create", "--disk-format", "raw", "--container-format", "bare", "--file", files.root,
    "--property", `kernel_id=${kernel.id}`, "--property", `ramdisk_id=${ramdisk.id}`,
    "--property", "os_command_line=console=tty0 console=ttyS0", NAMES.image);
}

export interface ServerView { id: string; status: string; addresses: Record<string, string[]>; host: string; instanceName: string }

export function showServer(cli: OpenstackCli, name: string): ServerView {
  const s = json<Record<string, unknown>>(cli("server", "show", "-f", "json", name));
  return {
    id: String(s.id),
    status: String(s.status),
    addresses: normalizeAddresses(s.addresses),
    host: String(s["OS-EXT-SRV-ATTR:host"] ?? ""),
    instanceName: String(s["OS-EXT-SRV-ATTR:instance_name"] ?? ""),
  };
}

/** `addresses` is {net: [ip, ...]} in newer clients and "net=ip, ip" in older ones. */
export function normalizeAddresses(raw: unknown): Record<string, string[]> {
  if (raw !== null && typeof raw === "object") return raw as Record<string, string[]>;
  const out: Record<string, string[]> = {};
  for (const part of String(raw ?? "").split(";")) {
    const [net, ips] = part.split("=");
    if (net !== undefined && ips !== undefined) out[net.trim()] = ips.split(",").map((x) => x.trim());
  }
  return out;
}

export interface ConsoleFacts { ready: boolean; leaseIp?: string; mtu?: string; instanceId?: string; metadataBytes?: number; pubkey?: string; done: boolean }

/** What the guest's fixed console lines say. */
export function consoleFacts(log: string): ConsoleFacts {
  const lease = GUEST.lease.exec(log);
  const bytes = GUEST.metadataBytes.exec(log);
  return {
    ready: log.includes(GUEST.ready),
    leaseIp: lease?.[1],
    mtu: lease?.[4],
    instanceId: GUEST.instanceId.exec(log)?.[1],
    metadataBytes: bytes === null ? undefined : Number(bytes[1]),
    pubkey: GUEST.pubkey.exec(log)?.[1],
    done: log.includes(GUEST.done),
  };
}

/** nova's instance_name (instance-0000000a) and the EC2 id the metadata service gives (i-0000000a) share the hex id. */
export function ec2IdOf(instanceName: string): string {
  return instanceName.replace(/^instance-/, "i-");
}

/** ping from this machine, only to the test bed's external network (route checked first). */
export function pingOnce(address: string, bridge: string): boolean {
  const route = execFileSync("ip", ["-o", "route", "get", address], { encoding: "utf8" });
  if (!route.includes(` dev ${bridge} `)) throw new Error(`refusing to ping ${address}: it does not route via ${bridge}`);
  return spawnSync("ping", ["-c", "1", "-W", "2", address], { stdio: "ignore" }).status === 0;
}
