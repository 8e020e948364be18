/**
 * Issue 11's steps inside the real-OpenStack e2e (openstack-e2e.test.ts registers them on its one
 * deployment): an operator's networks, flavor, keypair and guest image; a server that boots ACTIVE,
 * takes neutron's address by DHCP and reads the metadata service (its console log says so); ping and
 * an HTTP fetch larger than the MTU through a floating IP; horizon in headless Chromium.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { REPO_ROOT, runCli, type CliResult } from "../helpers/cli.js";
import type { DeployEnv } from "../helpers/deploy-env.js";
import { horizonShowsServer } from "../helpers/horizon-browser.js";
import * as os from "../helpers/openstack-client.js";
import {
  NAMES, TENANT_CIDR, buildGuestImage, consoleFacts, createAccessAndFlavor, createNetworks, ec2IdOf, pingOnce,
  showServer, uploadGuestImage, type ConsoleFacts,
} from "../helpers/openstack-compute.js";
import { vipOf } from "../helpers/openstack-env.js";
import { runOnHost } from "../helpers/ssh-runner.js";
import type { Testbed } from "../helpers/testbed.js";
import { waitFor, waitForValue } from "../helpers/wait.js";

const MIN = 60_000;
export const SERVER = "kd-vm1";

export interface ComputeContext {
  readonly bed: Testbed;
  readonly env: DeployEnv;
  readonly openrc: string;
  readonly cli: (...args: string[]) => CliResult;
  readonly log: string[];
}

/** What the steps learn and the later steps (upgrade, join, destroy) read. */
export interface ComputeState {
  serverHost?: string;
  instanceName?: string;
  floatingIp?: string;
  qemuPid?: string;
}

export function computeSteps(ctx: () => ComputeContext, state: ComputeState = {}): ComputeState {
  /** A long-running client call (server create --wait): logged and checked like the others. */
  const slow = (timeoutMs: number, ...args: string[]): CliResult => {
    const { openrc, log } = ctx();
    const r = os.openstack(openrc, args, timeoutMs);
    log.push(`$ openstack ${args.join(" ")} (exit ${r.code})\n${r.stdout}${r.stderr}`);
    expect(r.code, `openstack ${args.join(" ")} failed:\n${r.stderr.slice(-3000)}`).toBe(0);
    return r;
  };

  it("neutron's agents are alive on every host and every nova-compute is up", async () => {
    const { bed, openrc } = ctx();
    const hosts = bed.hosts.length;
    await waitFor(async () => {
      const r = os.openstack(openrc, ["network", "agent", "list", "-f", "json"]);
      if (r.code !== 0) return false;
      const agents = JSON.parse(r.stdout) as { "Agent Type": string; Alive: boolean | string }[];
      const alive = (type: string) => agents.filter((a) => a["Agent Type"] === type && (a.Alive === true || a.Alive === ":-)")).length;
      return ["Linux bridge agent", "DHCP agent", "L3 agent", "Metadata agent"].every((t) => alive(t) === hosts);
    }, 10 * MIN, "every neutron agent alive on every host");
    await waitFor(async () => {
      const r = os.openstack(openrc, ["compute", "service", "list", "--service", "nova-compute", "-f", "json"]);
      if (r.code !== 0) return false;
      const services = JSON.parse(r.stdout) as { State: string; Status: string }[];
      return services.filter((s) => s.State === "up" && s.Status === "enabled").length === hosts;
    }, 10 * MIN, "every nova-compute up");
  }, 25 * MIN);

  it("an operator's provider + tenant networks, router, flavor, keypair, rules and the guest image", () => {
    const { bed, env, cli, openrc } = ctx();
    createNetworks(cli, bed);
    createAccessAndFlavor(cli, env.dir, os.openrcVars(openrc).OS_PROJECT_NAME ?? "admin");
    uploadGuestImage(cli, buildGuestImage());
    const images = JSON.parse(cli("image", "list", "-f", "json").stdout) as { Name: string; Status: string }[];
    expect(images).toContainEqual(expect.objectContaining({ Name: NAMES.image, Status: "active" }));
  }, 25 * MIN);

  let facts: ConsoleFacts | undefined;
  it("a server boots ACTIVE; its console shows the marker, neutron's address by DHCP and the metadata instance-id", async () => {
    const { cli } = ctx();
    const started = Date.now();
    slow(15 * MIN, "server create", "--flavor", NAMES.flavor, "--image", NAMES.image, "--network", NAMES.tenant,
      "--key-name", NAMES.keypair, "--wait", SERVER);
    const server = showServer(cli, SERVER);
    expect(server.status).toBe("ACTIVE");
    console.info(`[openstack-e2e] server ACTIVE on ${server.host} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const address = server.addresses[NAMES.tenant]?.[0];
    expect(address, JSON.stringify(server.addresses)).toMatch(new RegExp(`^${TENANT_CIDR.replace(/\.0\/24$/, "").replaceAll(".", "\\.")}\\.`));
    facts = await waitForValue(async () => {
      const f = consoleFacts(cli("console", "log", "show", SERVER).stdout);
      return f.done ? f : undefined;
    }, 12 * MIN, "the guest's console log reaching KOLLA-GUEST-BOOT-DONE", 5000);
    console.info(`[openstack-e2e] guest booted (console done) ${((Date.now() - started) / 1000).toFixed(0)} s after create`);
    expect(facts.ready).toBe(true);
    expect(facts.leaseIp).toBe(address);
    expect(facts.instanceId).toBe(ec2IdOf(server.instanceName));
    expect(facts.metadataBytes).toBeGreaterThan(100);
    Object.assign(state, { serverHost: server.host, instanceName: server.instanceName });
  }, 30 * MIN);

  it("the guest answers ping through a floating IP, and 512 KiB over HTTP cross the MTU", async () => {
    const { bed, cli } = ctx();
    const fip = (JSON.parse(cli("floating", "ip", "create", "-f", "json", NAMES.external).stdout) as { floating_ip_address: string }).floating_ip_address;
    cli("server", "add", "floating", "ip", SERVER, fip);
    state.floatingIp = fip;
    const bridge = bed.external!.bridge;
    await waitFor(async () => pingOnce(fip, bridge), 5 * MIN, `ping ${fip}`);
    const body = await waitForValue(async () => {
      try {
        const res = await fetch(`http://${fip}/big.bin`, { signal: AbortSignal.timeout(30_000) });
        return res.ok ? Buffer.from(await res.arrayBuffer()) : undefined;
      } catch {
        return undefined;
      }
    }, 3 * MIN, `GET http://${fip}/big.bin`);
    expect(body.length).toBe(512 * 1024);
    // The lease's MTU is neutron's: the underlay's minus VXLAN's 50 bytes.
    expect(Number(facts?.mtu)).toBe((bed.mtu ?? 1500) - 50);
  }, 10 * MIN);

  it("libvirt runs the guest's qemu on the compute host", async () => {
    const { bed } = ctx();
    const pid = await runOnHost(bed, state.serverHost!, ["cat", `/run/libvirt/qemu/${state.instanceName}.pid`]);
    expect(pid.code, pid.stderr).toBe(0);
    state.qemuPid = pid.stdout.trim();
    const cmd = await runOnHost(bed, state.serverHost!, ["sh", "-c", `tr '\\0' ' ' < /proc/${state.qemuPid}/cmdline`]);
    expect(cmd.stdout).toContain("qemu-system-x86_64");
    expect(cmd.stdout).toContain("-accel tcg"); // nova_compute_virt_type: qemu
  });

  it("horizon, in headless Chromium through the VIP, lists the server as Active", async () => {
    const { bed, openrc } = ctx();
    const vars = os.openrcVars(openrc);
    // The test output folder (kept after the run; .gitignore'd): the screenshot is the run's artifact.
    const dir = join(process.env.KOLLA_TEST_OUTPUT ?? join(REPO_ROOT, "test-output"), "openstack-e2e");
    mkdirSync(dir, { recursive: true });
    const screenshot = join(dir, "horizon-instances.png");
    const r = await horizonShowsServer({
      url: `http://${vipOf(bed)}/`, user: vars.OS_USERNAME!, password: vars.OS_PASSWORD!, domain: "Default",
      server: SERVER, screenshot, timeoutMs: 5 * MIN,
    });
    console.info(`[openstack-e2e] horizon screenshot: ${screenshot}`);
    expect(r.ok, r.detail).toBe(true);
    expect(r.status).toBe("Active");
  }, 10 * MIN);

  return state;
}

export interface NovaUpgradeContext extends ComputeContext {
  /** rewrites globals.yml with these extra lines after the bed's own */
  readonly setGlobals: (extra: string) => void;
}

/**
 * Step 6: nova to a rebuilt tag, rolling and health-gated, under an API probe, while the guest
 * runs. The operator holds nova_libvirt back (nova_libvirt_tag), as kolla's per-service tags allow:
 * libvirt is not restarted, so the guest's qemu keeps its PID. Then rollback.
 */
export function novaUpgradeSteps(ctx: () => NovaUpgradeContext, state: ComputeState, tags: { readonly current: string; readonly next: string; readonly maxOutageMs: number }): void {
  const NOVA_IMAGES = ["nova-api", "nova-conductor", "nova-scheduler", "nova-novncproxy", "nova-compute", "nova-ssh"];
  const qemuPid = async () => (await runOnHost(ctx().bed, state.serverHost!, ["cat", `/run/libvirt/qemu/${state.instanceName}.pid`])).stdout.trim();
  const imageOf = async (host: string, container: string) =>
    (await runOnHost(ctx().bed, host, ["docker", "inspect", "-f", "{{.Config.Image}}", container])).stdout.trim();

  it("upgrade --service nova to a rebuilt tag keeps nova's API answering and the guest's qemu running; rollback returns", async () => {
    const { bed, env, openrc, log, setGlobals } = ctx();
    expect(state.qemuPid, "the server step found the guest's qemu").toBeDefined();
    const built = runCli(["build", ...NOVA_IMAGES, "--tag", tags.next, "--registry", bed.registry, "--push"]);
    expect(built.code, built.stderr.slice(-2000)).toBe(0);
    setGlobals(`nova_tag: "${tags.next}"\nnova_libvirt_tag: "${tags.current}"`);
    const vars = os.openrcVars(openrc);
    const servers = os.tokenRefreshing(vars, `http://${vipOf(bed)}:8774/v2.1/servers`);
    const probe = os.startProbe(servers, 200);
    const upgrade = await os.runCliAsync(["upgrade", "-i", env.inventory, "--configdir", env.configdir, "--service", "nova", "--health-timeout", "600"], { KOLLA_DEPLOY_LOG_DIR: join(env.dir, "logs") });
    const samples = await probe.stop();
    log.push(`$ kolla-deploy upgrade --service nova (exit ${upgrade.code})\n${upgrade.stdout}${upgrade.stderr}`);
    expect(upgrade.code, upgrade.stderr.slice(-3000)).toBe(0);
    const outage = os.longestOutageMs(samples);
    console.info(`[openstack-e2e] nova upgrade probe: ${samples.length} requests, ${samples.filter((x) => !x.ok).length} failed, longest outage ${outage} ms`);
    expect(outage).toBeLessThanOrEqual(tags.maxOutageMs);
    expect(await qemuPid()).toBe(state.qemuPid);
    expect(await imageOf(state.serverHost!, "nova_compute")).toMatch(new RegExp(`:${tags.next}$`));
    expect(await imageOf(state.serverHost!, "nova_libvirt")).toMatch(new RegExp(`:${tags.current}$`));
    expect(showServer(ctx().cli, SERVER).status).toBe("ACTIVE");

    setGlobals("");
    const rollback = await os.runCliAsync(["rollback", "-i", env.inventory, "--configdir", env.configdir, "--service", "nova", "--health-timeout", "600"], { KOLLA_DEPLOY_LOG_DIR: join(env.dir, "logs") });
    log.push(`$ kolla-deploy rollback --service nova (exit ${rollback.code})\n${rollback.stdout}${rollback.stderr}`);
    expect(rollback.code, rollback.stderr.slice(-3000)).toBe(0);
    for (const h of bed.hosts) expect(await imageOf(h.name, "nova_compute")).toMatch(new RegExp(`:${tags.current}$`));
    expect(await qemuPid()).toBe(state.qemuPid);
    await waitFor(async () => (await servers()) === 200, 5 * MIN, "nova's API after rollback");
  }, 40 * MIN);
}

/** Step 8's first half: an operator tears the tenant resources down (the server before anything it uses). */
export function tearDownTenant(cli: (...args: string[]) => CliResult, state: ComputeState): void {
  if (state.floatingIp !== undefined) cli("floating", "ip", "delete", state.floatingIp);
  cli("server", "delete", "--wait", SERVER);
  cli("router", "remove", "subnet", NAMES.router, NAMES.tenantSubnet);
  cli("router", "unset", "--external-gateway", NAMES.router);
  cli("router", "delete", NAMES.router);
  cli("network", "delete", NAMES.tenant, NAMES.external);
}

/** What a host still has of the cloud's data plane: qemu processes and neutron's namespaces, as "host: what". */
export async function dataPlaneLeftovers(bed: Testbed): Promise<string[]> {
  const script = "pgrep -a -f '^/usr/bin/qemu-system' || true; ip netns list 2>/dev/null | grep -E '^(qrouter|qdhcp|snat|fip)-' || true; " +
    "ip -o link show | awk -F': ' '{print $2}' | grep -E '^(brq|vxlan-|tap)' || true";
  const out: string[] = [];
  for (const h of bed.hosts) {
    const r = await runOnHost(bed, h.name, ["sh", "-c", script]);
    out.push(...r.stdout.split("\n").filter((l) => l.trim() !== "").map((l) => `${h.name}: ${l.trim()}`));
  }
  return out;
}
