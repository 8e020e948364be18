/**
 * The tuned Ansible baseline: bench/ansible/playbook.yml over the same hosts, fed with kolla-deploy's
 * own rendered files and container specs (see ansible-vars.ts). Each run gets a fresh ControlPath
 * directory and its ControlPersist masters are closed afterwards (`ssh -O exit` on our own sockets).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeAnsibleVars } from "./ansible-vars.js";
import { exportDesired } from "./export-desired.js";
import { measure } from "./measure.js";
import type { Sample } from "./types.js";
import { REPO, type BenchBed, type Workspace } from "./workspace.js";

export interface AnsibleSetup {
  readonly dir: string;
  readonly inventory: string;
  readonly forks: number;
}

/** Renders kolla-deploy's desired state for the playbook (unmeasured: kolla-ansible renders too, see README). */
export async function prepareAnsible(ws: Workspace, bed: BenchBed, dir: string): Promise<AnsibleSetup> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeAnsibleVars(dir, await exportDesired(ws));
  const inventory = join(dir, "inventory.ini");
  const common = `ansible_user=root ansible_ssh_private_key_file=${bed.key} ansible_ssh_common_args='-o UserKnownHostsFile=${bed.knownHosts}'`;
  writeFileSync(inventory, `[kd_bench]\n${bed.hosts.map((h) => `${h.name} ansible_host=${h.address} ${common}`).join("\n")}\n`);
  return { dir, inventory, forks: Math.max(50, bed.hosts.length) };
}

export async function ansiblePlaybook(setup: AnsibleSetup): Promise<Sample> {
  const control = mkdtempSync("/tmp/kd-bench-cp-");
  const env = {
    ...process.env,
    ANSIBLE_CONFIG: join(REPO, "bench", "ansible", "ansible.cfg"),
    ANSIBLE_FORKS: String(setup.forks),
    ANSIBLE_SSH_CONTROL_PATH_DIR: control,
    ANSIBLE_LOCAL_TEMP: join(setup.dir, "tmp"),
    ANSIBLE_NOCOLOR: "1",
  };
  try {
    return await measure(["ansible-playbook", "-i", setup.inventory, join(REPO, "bench", "ansible", "playbook.yml")], { env, cwd: setup.dir, sampleTree: true });
  } finally {
    closeMasters(control);
  }
}

/** Ends the ControlPersist masters this run started, through their own sockets (never by name). */
function closeMasters(dir: string): void {
  for (const sock of readdirSync(dir)) spawnSync("ssh", ["-O", "exit", "-o", `ControlPath=${join(dir, sock)}`, "kd-bench-master"], { stdio: "ignore" });
  rmSync(dir, { recursive: true, force: true });
}

/** PLAY RECAP: the sum of changed= over hosts; a failed or unreachable host is an error. */
export function ansibleChanged(s: Sample): number {
  let changed = 0;
  for (const m of s.stdout.matchAll(/^\S+\s+:\s+ok=\d+\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)/gm)) {
    if (m[2] !== "0" || m[3] !== "0") throw new Error(`ansible-playbook reported a failure:\n${s.stdout.slice(-3000)}`);
    changed += Number(m[1]);
  }
  return changed;
}
