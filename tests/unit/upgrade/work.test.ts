/** From a plan to upgrade and rollback work, per host. */
import { describe, expect, it } from "vitest";
import { DEFAULT_ROLES_DIR } from "../../../src/apply/prepare.js";
import type { ContainerSpec } from "../../../src/engine/types.js";
import type { DesiredHost, DesiredService } from "../../../src/plan/desired.js";
import type { HostState } from "../../../src/plan/gather.js";
import type { HostRecord } from "../../../src/plan/record.js";
import type { ContainerChange, DesiredFile, HostPlan } from "../../../src/plan/types.js";
import { loadRoles } from "../../../src/roles/index.js";
import { withPrevious, withUpgraded } from "../../../src/upgrade/record-edit.js";
import { hasSavedState, imagesByHost, rollbackWork, upgradeWork, type ContainerCommands, type PlanView } from "../../../src/upgrade/work.js";
import { file, hostState, IMG, running } from "./fixtures.js";

const roles = loadRoles(DEFAULT_ROLES_DIR);
const keystone = roles.find((r) => r.name === "keystone")!;
const glance = roles.find((r) => r.name === "glance")!;

function desiredFile(path: string, sha256: string): DesiredFile {
  return { path, content: `content ${sha256}`, sha256, mode: 0o660, owner: "root", group: "root", services: [] };
}

function service(roleName: "keystone" | "glance", key: string, tag: string): DesiredService {
  const role = roleName === "keystone" ? keystone : glance;
  const def = role.services.find((s) => s.key === key)!;
  const dir = `/etc/kolla/${key}`;
  const spec = { name: def.containerName, image: IMG(tag, key) } as unknown as ContainerSpec;
  return { role, service: def, spec, dir, files: [desiredFile(`${dir}/${key}.conf`, `new-${key}`)], configHash: `hash-${tag}`, fileHashes: { [`${key}.conf`]: `new-${key}` } };
}

function change(svc: DesiredService, action: ContainerChange["action"]): ContainerChange {
  return { role: svc.role.name, service: svc.service.key, container: svc.spec.name, action, reasons: [], spec: svc.spec, configHash: svc.configHash, fileHashes: svc.fileHashes, commands: [] };
}

function view(hosts: { host: string; services: DesiredService[]; actions: ContainerChange["action"][]; changedFiles: boolean; state?: HostState }[]): PlanView {
  const plan = {
    verb: "reconfigure",
    roles: ["keystone"],
    warnings: [],
    hosts: hosts.map((h): HostPlan => ({
      host: h.host,
      files: h.services.flatMap((s) => s.files.map((f) => ({ path: f.path, action: h.changedFiles ? "update" as const : "unchanged" as const, reasons: [] }))),
      containers: h.services.map((s, i) => change(s, h.actions[i]!)),
      bootstrap: [],
      uploads: [],
    })),
  };
  const desired = new Map<string, DesiredHost>(hosts.map((h) => [h.host, { host: h.host, services: h.services }]));
  return { plan, desired, states: new Map(hosts.map((h) => [h.host, h.state ?? hostState()])) };
}

describe("upgrade work", () => {
  it("takes the role's changed containers and changed files per host, skipping hosts with nothing to do", () => {
    const v = view([
      { host: "n1", services: [service("keystone", "keystone", "t2"), service("glance", "glance-api", "t2")], actions: ["recreate", "recreate"], changedFiles: true },
      { host: "n2", services: [service("keystone", "keystone", "t2")], actions: ["none"], changedFiles: false },
    ]);
    const work = upgradeWork(v, keystone);
    expect(work).toHaveLength(1);
    expect(work[0]!.host).toBe("n1");
    expect(work[0]!.changes.map((c) => c.container)).toEqual(["keystone"]);
    expect(work[0]!.files.map((f) => f.path)).toEqual(["/etc/kolla/keystone/keystone.conf"]);
    expect(work[0]!.dirs.get("keystone")).toBe("/etc/kolla/keystone");
  });

  it("pulls every image of the selected services, once per host", () => {
    const v = view([{ host: "n1", services: [service("keystone", "keystone", "t2"), service("keystone", "keystone", "t2")], actions: ["none", "none"], changedFiles: false }]);
    expect(imagesByHost(v)).toEqual(new Map([["n1", [IMG("t2", "keystone")]]]));
  });
});

describe("rollback work", () => {
  const svc = service("keystone", "keystone", "testbed");
  const saved = (upgradeId: string, image: string, hashes: Record<string, string>) => ({ image, configHash: "hp", fileHashes: hashes, configDir: "/etc/kolla/keystone", savedAt: upgradeId, upgradeId });
  const upgradedRecord = (upgradeId: string, from: string, to: string): HostRecord => {
    const base: HostRecord = { version: 1, containers: { keystone: { image: from, configHash: "hp", fileHashes: { "keystone.conf": "old" }, updatedAt: "t" } }, bootstrap: {} };
    return withUpgraded(withPrevious(base, "keystone", saved(upgradeId, from, { "keystone.conf": "old" })), { container: "keystone", image: to, configHash: "hn", fileHashes: { "keystone.conf": "new" } }, upgradeId, true);
  };
  const onHost = (image: string | undefined, conf: string, record: HostRecord) =>
    hostState({ containers: image === undefined ? [] : [running("keystone", image)], files: { "/etc/kolla/keystone/keystone.conf": file(conf) }, record });

  const commandsFor: ContainerCommands = (host, action, spec) => [
    { what: `${host} ${action} ${spec.image}`, command: { argv: ["true"] }, errorLine: "first", errorCode: "E_TEST", hint: "" },
  ];

  it("rolls back only the containers the latest upgrade saved, with today's spec and the saved image", () => {
    const r1 = upgradedRecord("2026-01-02", IMG("t2", "keystone"), IMG("broken", "keystone"));
    const r2 = upgradedRecord("2026-01-01", IMG("testbed", "keystone"), IMG("t2", "keystone"));
    const v = view([
      { host: "n1", services: [svc], actions: ["recreate"], changedFiles: true, state: onHost(IMG("broken", "keystone"), "new", r1) },
      { host: "n2", services: [svc], actions: ["recreate"], changedFiles: true, state: onHost(IMG("t2", "keystone"), "new", r2) },
    ]);
    const work = rollbackWork(v, keystone, new Map([["n1", r1], ["n2", r2]]), commandsFor);
    expect(work.map((w) => w.host)).toEqual(["n1"]);
    const item = work[0]!.items[0]!;
    expect(item.change).toMatchObject({ action: "recreate", container: "keystone", configHash: "hp", fileHashes: { "keystone.conf": "old" } });
    expect(item.change.spec.image).toBe(IMG("t2", "keystone"));
    expect(item.currentImage).toBe(IMG("broken", "keystone"));
    // The commands are built for the host and the saved image, at planning time.
    expect(item.change.commands.map((c) => c.what)).toEqual([`n1 recreate ${IMG("t2", "keystone")}`]);
  });

  it("skips a container already on its saved image and files, but not one whose files still differ", () => {
    const r = upgradedRecord("2026-01-02", IMG("t2", "keystone"), IMG("broken", "keystone"));
    const done = view([{ host: "n1", services: [svc], actions: ["none"], changedFiles: false, state: onHost(IMG("t2", "keystone"), "old", r) }]);
    expect(rollbackWork(done, keystone, new Map([["n1", r]]), commandsFor)).toEqual([]);
    const filesOnly = view([{ host: "n1", services: [svc], actions: ["none"], changedFiles: false, state: onHost(IMG("t2", "keystone"), "new", r) }]);
    expect(rollbackWork(filesOnly, keystone, new Map([["n1", r]]), commandsFor)).toHaveLength(1);
    const missing = view([{ host: "n1", services: [svc], actions: ["create"], changedFiles: false, state: onHost(undefined, "old", r) }]);
    expect(rollbackWork(missing, keystone, new Map([["n1", r]]), commandsFor)[0]!.items[0]!.change.action).toBe("create");
  });

  it("knows whether anything was saved at all", () => {
    const r = upgradedRecord("2026-01-02", IMG("t2", "keystone"), IMG("broken", "keystone"));
    expect(hasSavedState(keystone, new Map([["n1", r]]))).toBe(true);
    expect(hasSavedState(glance, new Map([["n1", r]]))).toBe(false);
  });
});
