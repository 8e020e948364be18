/**
 * `build --threads N`: the schedule (parents first, at most N at once, a failure skips only the
 * images below it) and apt in roots that share one cache, both on fakes: a layer builder that
 * only records when it runs, and a runner that records argv.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CommandResult } from "../../../src/command.js";
import { runAfterParents, type Scheduled } from "../../../src/image-build/schedule.js";
import { aptSources, SharedApt } from "../../../src/image-build/shared-apt.js";

/** base → openstack-base → {nova-base → {nova-api, nova-compute}, neutron-base → neutron-server}; base → memcached */
const TREE: Scheduled[] = [
  { name: "base", parent: undefined },
  { name: "openstack-base", parent: "base" },
  { name: "memcached", parent: "base" },
  { name: "nova-base", parent: "openstack-base" },
  { name: "neutron-base", parent: "openstack-base" },
  { name: "nova-api", parent: "nova-base" },
  { name: "nova-compute", parent: "nova-base" },
  { name: "neutron-server", parent: "neutron-base" },
];

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

/** A layer builder that takes a few ticks per image, records its runs and fails the named images. */
function fakeLayerBuilder(failing: readonly string[] = []) {
  const events: string[] = [];
  let running = 0;
  let maxRunning = 0;
  const build = async (item: Scheduled, parentLayers: string[] | undefined): Promise<string[]> => {
    events.push(`start ${item.name}`);
    running += 1;
    maxRunning = Math.max(maxRunning, running);
    for (let i = 0; i < 3; i += 1) await tick();
    running -= 1;
    events.push(`end ${item.name}`);
    if (failing.includes(item.name)) throw new Error(`${item.name}: apt-get failed`);
    return [...(parentLayers ?? []), `${item.name}-layer`];
  };
  return { build, events, maxRunning: () => maxRunning };
}

describe("the build schedule", () => {
  it("starts each image after its parent and gives it the parent's layers", async () => {
    const fake = fakeLayerBuilder();
    const outcomes = await runAfterParents(TREE, 3, fake.build);
    for (const { name, parent } of TREE.filter((t) => t.parent !== undefined)) {
      expect(fake.events.indexOf(`start ${name}`)).toBeGreaterThan(fake.events.indexOf(`end ${parent}`));
    }
    expect(outcomes.map((o) => o.name)).toEqual(TREE.map((t) => t.name));
    expect(outcomes.find((o) => o.name === "nova-api")).toMatchObject({ status: "done", value: ["base-layer", "openstack-base-layer", "nova-base-layer", "nova-api-layer"] });
  });

  it("builds siblings side by side, never more than N at once", async () => {
    for (const threads of [1, 2, 3]) {
      const fake = fakeLayerBuilder();
      await runAfterParents(TREE, threads, fake.build);
      expect(fake.maxRunning()).toBe(threads);
    }
    const fake = fakeLayerBuilder();
    await runAfterParents(TREE, 0, fake.build); // at least one
    expect(fake.maxRunning()).toBe(1);
  });

  it("starts the ready image with the most images below it first", async () => {
    const fake = fakeLayerBuilder();
    // After base: openstack-base (5 below it) before memcached (none below), although memcached is
    // listed first; then nova-base (2 below), neutron-base (1); the leaves last, first queued first.
    const order = ["base", "memcached", ...TREE.map((t) => t.name).filter((n) => n !== "base" && n !== "memcached")];
    await runAfterParents(order.map((n) => TREE.find((t) => t.name === n)!), 1, fake.build);
    const starts = fake.events.filter((e) => e.startsWith("start ")).map((e) => e.slice(6));
    expect(starts).toEqual(["base", "openstack-base", "nova-base", "neutron-base", "memcached", "nova-api", "nova-compute", "neutron-server"]);
  });

  it("fails the images below a failed one without building them; other branches go on", async () => {
    const fake = fakeLayerBuilder(["nova-base"]);
    const outcomes = await runAfterParents(TREE, 2, fake.build);
    const status = Object.fromEntries(outcomes.map((o) => [o.name, o.status]));
    expect(status).toEqual({ base: "done", "openstack-base": "done", memcached: "done", "nova-base": "failed", "neutron-base": "done", "nova-api": "skipped", "nova-compute": "skipped", "neutron-server": "done" });
    expect(fake.events).not.toContain("start nova-api");
    expect(fake.events).not.toContain("start nova-compute");
    expect(outcomes.find((o) => o.name === "nova-compute")).toMatchObject({ failedAncestor: "nova-base" });
    expect(outcomes.find((o) => o.name === "nova-base")).toMatchObject({ error: expect.objectContaining({ message: "nova-base: apt-get failed" }) });
  });

  it("names the failed ancestor for every image below it, however deep", async () => {
    const outcomes = await runAfterParents(TREE, 2, fakeLayerBuilder(["openstack-base"]).build);
    const skipped = outcomes.filter((o) => o.status === "skipped").map((o) => [o.name, o.status === "skipped" && o.failedAncestor]);
    expect(skipped).toEqual([["nova-base", "openstack-base"], ["neutron-base", "openstack-base"], ["nova-api", "openstack-base"], ["nova-compute", "openstack-base"], ["neutron-server", "openstack-base"]]);
    expect(outcomes.find((o) => o.name === "memcached")?.status).toBe("done");
  });

  it("refuses a list where a child comes before its parent", async () => {
    await expect(runAfterParents([{ name: "nova-api", parent: "nova-base" }, { name: "nova-base", parent: undefined }], 2, fakeLayerBuilder().build)).rejects.toThrow(/before its parent/);
  });
});

function root(sources: string): string {
  const dir = mkdtempSync(join(tmpdir(), "kd-apt-"));
  mkdirSync(join(dir, "etc/apt/sources.list.d"), { recursive: true });
  writeFileSync(join(dir, "etc/apt/sources.list"), sources);
  return dir;
}

/** A runner that records argv and takes a few ticks per command; `failOn` makes one command fail. */
function fakeRunner(failOn?: (argv: readonly string[]) => boolean) {
  const calls: { argv: readonly string[]; start: number; end: number }[] = [];
  let clock = 0;
  const run = async (argv: readonly string[]): Promise<CommandResult> => {
    const call = { argv, start: clock++, end: -1 };
    calls.push(call);
    await tick();
    await tick();
    call.end = clock++;
    const failed = failOn?.(argv) ?? false;
    return { code: failed ? 100 : 0, stdout: "", stderr: failed ? "E: Unable to locate package nope\n" : "" };
  };
  return { run, calls };
}

const isUpdate = (argv: readonly string[]) => argv.includes("update");
const isDownload = (argv: readonly string[]) => argv.includes("--download-only");

describe("apt in roots that share one cache", () => {
  it("updates the lists once per set of sources, and again when the sources change", async () => {
    const fake = fakeRunner();
    const apt = new SharedApt("/cache/apt/download.lock", fake.run);
    const debootstrap = root("deb http://m bookworm main\n");
    const full = root("deb http://m bookworm main\ndeb http://m bookworm-updates main\n");
    await apt.fetch(debootstrap, ["python3"], () => {});
    await Promise.all([apt.fetch(full, ["nova-api"], () => {}), apt.fetch(full, ["neutron-server"], () => {})]);
    await apt.fetch(root("deb http://m bookworm main\ndeb http://m bookworm-updates main\n"), ["horizon"], () => {});
    expect(fake.calls.filter((c) => isUpdate(c.argv))).toHaveLength(2);
    expect(aptSources(full)).not.toBe(aptSources(debootstrap));
  });

  it("downloads one root at a time under the cache's lock file, then installs side by side without apt's lock", async () => {
    const fake = fakeRunner();
    const apt = new SharedApt("/cache/apt/download.lock", fake.run);
    const roots = [root("deb x\n"), root("deb x\n")];
    await Promise.all(roots.map(async (r, i) => {
      await apt.fetch(r, [`pkg${i}`], () => {});
      await apt.install(r, [`pkg${i}`]);
    }));
    const locked = fake.calls.filter((c) => isUpdate(c.argv) || isDownload(c.argv));
    expect(locked.every((c) => c.argv[0] === "flock" && c.argv[1] === "/cache/apt/download.lock" && c.argv[2] === "chroot")).toBe(true);
    for (let i = 1; i < locked.length; i += 1) expect(locked[i]!.start).toBeGreaterThan(locked[i - 1]!.end);
    const installs = fake.calls.filter((c) => c.argv.includes("install") && !isDownload(c.argv));
    expect(installs).toHaveLength(2);
    expect(installs.every((c) => c.argv[0] === "chroot" && c.argv.includes("Debug::NoLocking=true"))).toBe(true);
    expect(installs[1]!.start).toBeLessThan(installs[0]!.end);
  });

  it("reports which step failed, and updates again after a failed update", async () => {
    let failUpdate = true;
    const fake = fakeRunner((argv) => (isUpdate(argv) && failUpdate) || argv.includes("nope"));
    const apt = new SharedApt("/l", fake.run);
    const r = root("deb x\n");
    expect(await apt.fetch(r, ["a"], () => {})).toMatchObject({ step: "update", result: { code: 100 } });
    failUpdate = false;
    expect(await apt.fetch(r, ["nope"], () => {})).toMatchObject({ step: "download", result: { stderr: expect.stringContaining("nope") } });
    expect(await apt.fetch(r, ["a"], () => {})).toBeUndefined();
    expect(fake.calls.filter((c) => isUpdate(c.argv))).toHaveLength(2);
  });
});
