/**
 * The demo's last act (bin/demo --openstack): as an operator would, on the deployed cloud: a
 * provider network on the bed's eth1, a tenant network behind a router, a flavor, a keypair, ICMP
 * and HTTP allowed, the guest image; then a server. Prints the ACTIVE server, its addresses, the
 * tail of its console log (the guest's marker, its DHCP lease and the metadata it read), and the
 * path of a horizon screenshot taken in headless Chromium.
 *
 *   npx tsx tests/openstack/boot-server.ts <working set dir>
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, type CliResult } from "../helpers/cli.js";
import { horizonShowsServer } from "../helpers/horizon-browser.js";
import * as os from "../helpers/openstack-client.js";
import { NAMES, buildGuestImage, consoleFacts, createAccessAndFlavor, createNetworks, showServer, uploadGuestImage } from "../helpers/openstack-compute.js";
import { vipOf } from "../helpers/openstack-env.js";
import { loadTestbed } from "../helpers/testbed.js";

const dir = process.argv[2];
if (dir === undefined) throw new Error("usage: boot-server.ts <working set dir>");
const openrc = join(dir, "etc-kolla", "admin-openrc.sh");
const bed = loadTestbed();

function cli(...args: string[]): CliResult {
  const r = os.openstack(openrc, args, 15 * 60_000);
  if (r.code !== 0) throw new Error(`openstack ${args.join(" ")} failed (exit ${r.code}): ${r.stderr.trim().split("\n").at(-1)}`);
  return r;
}

async function main(): Promise<void> {
  const vars = os.openrcVars(openrc);
  console.log("== networks, router, flavor, keypair, security group rules, guest image");
  createNetworks(cli, bed);
  createAccessAndFlavor(cli, dir!, vars.OS_PROJECT_NAME ?? "admin");
  uploadGuestImage(cli, buildGuestImage());
  console.log("== openstack server create --wait kd-demo");
  cli("server", "create", "--flavor", NAMES.flavor, "--image", NAMES.image, "--network", NAMES.tenant, "--key-name", NAMES.keypair, "--wait", "kd-demo");
  const server = showServer(cli, "kd-demo");
  console.log(`server kd-demo: ${server.status} on ${server.host}, addresses ${JSON.stringify(server.addresses)}`);
  let log = "";
  for (let i = 0; i < 120 && !consoleFacts(log).done; i++) {
    await new Promise((r) => setTimeout(r, 5000));
    log = cli("console", "log", "show", "kd-demo").stdout;
  }
  console.log("== console log (tail)");
  console.log(log.split("\n").filter((l) => l.includes("KOLLA")).slice(-10).join("\n"));
  const screenshot = join(process.env.KOLLA_TEST_OUTPUT ?? join(REPO_ROOT, "test-output"), "demo", "horizon-instances.png");
  mkdirSync(join(screenshot, ".."), { recursive: true });
  const r = await horizonShowsServer({ url: `http://${vipOf(bed)}/`, user: vars.OS_USERNAME!, password: vars.OS_PASSWORD!, server: "kd-demo", screenshot, timeoutMs: 5 * 60_000 });
  console.log(`== horizon: ${r.detail}\nscreenshot: ${screenshot}`);
}

await main();
