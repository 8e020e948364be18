/**
 * Parity with Ansible: for every inventory in the corpus, our --list must equal Debian's
 * `ansible-inventory --list` as parsed JSON, and our --graph (and --host) must print the same.
 * ansible-inventory runs with HOME and its temp/home dirs in a throwaway directory, so it writes nowhere else.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostVars, loadInventory, toAnsibleGraph, toAnsibleList } from "../../src/inventory/index.js";
import { REPO_ROOT, runCli } from "../helpers/cli.js";

const ANSIBLE_INVENTORY = "/usr/bin/ansible-inventory";
const FIXTURES = join(REPO_ROOT, "tests", "fixtures", "inventory");
const KOLLA = "/work/shared/data/kolla-inventory";
const fx = (p: string): string => join(FIXTURES, p);

interface Case {
  name: string;
  sources: string[];
  /** --graph --vars is compared too, unless values print differently (whole floats, tuples: see docs/inventory.md). */
  graphVars: boolean;
  hosts?: string[];
}

const CORPUS: Case[] = [
  { name: "kolla multinode", sources: [join(KOLLA, "multinode")], graphVars: true, hosts: ["localhost", "control01"] },
  { name: "kolla all-in-one", sources: [join(KOLLA, "all-in-one")], graphVars: true, hosts: ["localhost"] },
  { name: "project multinode", sources: [join(REPO_ROOT, "inventory", "multinode")], graphVars: true, hosts: ["compute01"] },
  { name: "project all-in-one", sources: [join(REPO_ROOT, "inventory", "all-in-one")], graphVars: true },
  { name: "ranges", sources: [fx("ranges/hosts")], graphVars: true, hosts: ["stor09", "rackb-node2"] },
  { name: "nested vars, group_vars/ and host_vars/", sources: [fx("nested/hosts")], graphVars: false, hosts: ["ctl01", "ctl02", "sto01", "cmp01"] },
  { name: "a directory holding the inventory and its vars dirs", sources: [fx("nested")], graphVars: false, hosts: ["ctl02"] },
  { name: "typed values", sources: [fx("typed/hosts")], graphVars: false, hosts: ["t1", "t2", "t3", "t4", "t5"] },
  { name: "YAML inventory", sources: [fx("yaml/inventory.yml")], graphVars: true, hosts: ["ctl03", "gpu01"] },
  { name: "YAML without extension", sources: [fx("yaml/more")], graphVars: true },
  { name: "two YAML inventories merged", sources: [fx("yaml/inventory.yml"), fx("yaml/more")], graphVars: true },
  { name: "INI and YAML merged with several -i", sources: [fx("merged/one"), fx("merged/two.yml"), fx("merged/three")], graphVars: true, hosts: ["net01"] },
  { name: "directory source with ignored files", sources: [fx("dir")], graphVars: true, hosts: ["web01"] },
  { name: "localhost with ansible_connection=local", sources: [fx("local/hosts")], graphVars: true, hosts: ["localhost"] },
  { name: "children declared after use", sources: [fx("pending/hosts")], graphVars: true },
];

const unavailable = existsSync(ANSIBLE_INVENTORY) ? undefined : `${ANSIBLE_INVENTORY} is not installed`;
const sandbox = mkdtempSync(join(tmpdir(), "kolla-inv-ansible-"));
afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

const ANSIBLE_ENV = {
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  HOME: sandbox,
  ANSIBLE_HOME: join(sandbox, "ansible-home"),
  ANSIBLE_LOCAL_TEMP: join(sandbox, "tmp"),
  ANSIBLE_NOCOLOR: "1",
  ANSIBLE_INVENTORY_UNPARSED_FAILED: "1",
  ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED: "1",
};

/** Every ansible-inventory answer, fetched up front and in parallel: each run costs about a second. */
const answers = new Map<string, string>();

async function fetchAnswers(commands: string[][]): Promise<void> {
  const run = promisify(execFile);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < commands.length) {
      const args = commands[next++]!;
      const { stdout } = await run(ANSIBLE_INVENTORY, args, { cwd: sandbox, env: ANSIBLE_ENV, maxBuffer: 64 * 1024 * 1024 });
      answers.set(args.join("\0"), stdout);
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
}

function ansibleInventory(args: string[]): string {
  const answer = answers.get(args.join("\0"));
  if (answer === undefined) throw new Error(`ansible-inventory ${args.join(" ")} gave no answer`);
  return answer;
}

function commandsFor(c: Case): string[][] {
  const i = iArgs(c.sources);
  return [[...i, "--list"], [...i, ...graphFlags(c)], ...(c.hosts ?? []).map((h) => [...i, "--host", h])];
}

const graphFlags = (c: Case): string[] => (c.graphVars ? ["--graph", "--vars"] : ["--graph"]);
const iArgs = (sources: string[]): string[] => sources.flatMap((s) => ["-i", s]);

describe.skipIf(unavailable !== undefined && process.env.KOLLA_TESTBED_REQUIRED !== "1")("inventory parity with ansible-inventory", () => {
  beforeAll(async () => {
    if (unavailable === undefined) await fetchAnswers([...CORPUS.flatMap(commandsFor), ["-i", join(KOLLA, "multinode"), "--list"]]);
  }, 300_000);

  it("has ansible-inventory available", () => {
    expect(unavailable, "ansible-inventory is required when KOLLA_TESTBED_REQUIRED=1").toBeUndefined();
  });

  for (const c of CORPUS) {
    it(`--list equals ansible-inventory: ${c.name}`, () => {
      const theirs = JSON.parse(ansibleInventory([...iArgs(c.sources), "--list"]));
      expect(toAnsibleList(loadInventory(c.sources))).toEqual(theirs);
    }, 60_000);

    it(`--graph${c.graphVars ? " --vars" : ""} equals ansible-inventory: ${c.name}`, () => {
      const theirs = ansibleInventory([...iArgs(c.sources), ...graphFlags(c)]).trimEnd();
      expect(toAnsibleGraph(loadInventory(c.sources), { vars: c.graphVars })).toEqual(theirs);
    }, 60_000);

    for (const host of c.hosts ?? []) {
      it(`--host ${host} equals ansible-inventory: ${c.name}`, () => {
        const theirs = JSON.parse(ansibleInventory([...iArgs(c.sources), "--host", host]));
        expect(hostVars(loadInventory(c.sources), host)).toEqual(theirs);
      }, 60_000);
    }
  }

  it("the CLI verb prints the same --list as ansible-inventory (kolla multinode)", () => {
    const sources = [join(KOLLA, "multinode")];
    const ours = runCli(["inventory", ...iArgs(sources), "--list"]);
    expect(ours.stderr).toBe("");
    expect(ours.code).toBe(0);
    expect(JSON.parse(ours.stdout)).toEqual(JSON.parse(ansibleInventory([...iArgs(sources), "--list"])));
  }, 60_000);
});

if (unavailable !== undefined && process.env.KOLLA_TESTBED_REQUIRED !== "1") {
  describe("inventory parity with ansible-inventory", () => {
    it.skip(`skipped: ${unavailable} (install ansible-core, or set KOLLA_TESTBED_REQUIRED=1 to make this fail)`, () => {});
  });
}
