/**
 * Writes the e2e's working set for a test bed and prints its directory, for running the steps by
 * hand: `npx tsx tests/openstack/make-env.ts [--no-glance-placement]` (TESTBED_DIR picks the bed).
 */
import { loadTestbed } from "../helpers/testbed.js";
import { makeOpenstackEnv } from "../helpers/openstack-env.js";

const env = makeOpenstackEnv(loadTestbed(), { glanceAndPlacement: !process.argv.includes("--no-glance-placement") });
process.stdout.write(`${env.dir}\n`);
