/**
 * The working set for the real-OpenStack e2e: the test bed's hosts in kolla's multinode layout,
 * globals that point at the images `kolla-deploy build` pushed to the bed's registry, and only the
 * services those images cover: the control plane, nova, neutron (linuxbridge) and horizon; no fluentd,
 * heat or cinder.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT, runCli } from "./cli.js";
import type { Testbed } from "./testbed.js";
import { kollaLayout, type DeployEnv } from "./deploy-env.js";

/** The tag `kolla-deploy build` uses by default, and the roles' default `openstack_tag`. */
export const BUILD_TAG = "master-debian-bookworm";
export const BUILD_NAMESPACE = "openstack.kolla";

export interface OpenstackEnvOptions {
  /** glance and placement (O2's images); default true. */
  readonly glanceAndPlacement?: boolean;
  /** nova, neutron and horizon (issue 11's cloud); default true. */
  readonly compute?: boolean;
  readonly extraGlobals?: string;
}

export function vipOf(bed: Testbed): string {
  return bed.gateway.replace(/\.1$/, ".250");
}

export function openstackGlobals(bed: Testbed, opts: OpenstackEnvOptions = {}): string {
  const withGp = opts.glanceAndPlacement ?? true;
  const compute = opts.compute ?? true;
  return [
    `kolla_internal_vip_address: "${vipOf(bed)}"`,
    `network_interface: "eth0"`,
    `neutron_external_interface: "eth1"`,
    `docker_registry: "${bed.registry}"`,
    `docker_registry_insecure: true`,
    `docker_namespace: "${BUILD_NAMESPACE}"`,
    `openstack_tag: "${BUILD_TAG}"`,
    `enable_fluentd: "no"`,
    `enable_nova: "${compute ? "yes" : "no"}"`,
    `enable_neutron: "${compute ? "yes" : "no"}"`,
    `enable_heat: "no"`,
    `enable_horizon: "${compute ? "yes" : "no"}"`,
    ...(compute ? computeGlobals(bed) : []),
    `enable_cinder: "no"`,
    `enable_glance: "${withGp ? "yes" : "no"}"`,
    `enable_placement: "${withGp ? "yes" : "no"}"`,
    // Three database servers share one machine's memory in the test bed.
    `mariadb_innodb_buffer_pool_size: "128M"`,
    `openstack_service_workers: 1`,
    // haproxy raises its fd limit to 2 x maxconn; the test bed's dockerd allows 20000.
    `haproxy_max_connections: 8000`,
    // The whole cloud on 2 cores pushes the load past 60 while containers start (horizon compresses
    // its assets on every host). keepalived's haproxy check then times out and the VIP flaps between
    // hosts, and every client of a moved VIP waits forever on a reply that went with it (measured:
    // a placement worker hung and server creation failed with a 504). haproxy itself never stopped.
    `keepalived_track_script_enabled: "no"`,
    // Unique per test bed subnet, so two beds' keepalived never argue over a VIP.
    `keepalived_virtual_router_id: "${Number(bed.gateway.split(".")[2]) % 250 + 1}"`,
    opts.extraGlobals ?? "",
  ].join("\n");
}

/**
 * What this machine needs for nova and neutron: no /dev/kvm (software emulation), no Open vSwitch
 * kernel datapath (linuxbridge + VXLAN), qemu limits within the bed's dockerd hard limits (nofile
 * 20000), and the bed's MTU as the underlay's.
 */
function computeGlobals(bed: Testbed): string[] {
  return [
    `neutron_plugin_agent: "linuxbridge"`,
    `nova_compute_virt_type: "qemu"`,
    `qemu_max_files: 16384`,
    `qemu_max_processes: 65536`,
    ...(bed.mtu !== undefined && bed.mtu !== 1500 ? [`docker_mtu: ${bed.mtu}`] : []),
  ];
}

/** A config dir (these globals, genpwd'd passwords) and the bed's inventory in kolla's layout. */
export function makeOpenstackEnv(bed: Testbed, opts: OpenstackEnvOptions = {}): DeployEnv {
  const dir = mkdtempSync(join(tmpdir(), "kd-os-"));
  const configdir = join(dir, "etc-kolla");
  mkdirSync(join(configdir, "config"), { recursive: true });
  writeFileSync(join(configdir, "globals.yml"), openstackGlobals(bed, opts) + "\n");
  copyFileSync(join(REPO_ROOT, "etc", "kolla", "passwords.yml"), join(configdir, "passwords.yml"));
  const inventory = join(dir, "inventory");
  writeFileSync(inventory, `${readFileSync(join(bed.dir, "inventory.ini"), "utf8")}\n${kollaLayout()}`);
  const env = { KOLLA_DEPLOY_LOG_DIR: join(dir, "logs") };
  const gen = runCli(["genpwd", "-p", join(configdir, "passwords.yml")], { env });
  if (gen.code !== 0) throw new Error(`genpwd failed: ${gen.stderr}`);
  return {
    dir, configdir, inventory,
    kd: (verb, ...args) => runCli([verb, "-i", inventory, "--configdir", configdir, ...args], { env }),
  };
}
