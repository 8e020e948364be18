/** How upgrade and rollback change a host's record (state.json). */
import { describe, expect, it } from "vitest";
import { DEFAULT_ROLES_DIR } from "../../../src/apply/prepare.js";
import { emptyRecord, parseHostRecord, previousDir, serializeRecord, type HostRecord } from "../../../src/plan/record.js";
import { configHash } from "../../../src/plan/render-files.js";
import { loadRoles } from "../../../src/roles/index.js";
import {
  keepsPrevious, latestUpgradeId, previousFromState, stepContainer, withPrevious, withRolledBack, withStepsMoved, withUpgraded,
} from "../../../src/upgrade/record-edit.js";
import { file, hostState, IMG, running } from "./fixtures.js";

const keystone = loadRoles(DEFAULT_ROLES_DIR).find((r) => r.name === "keystone")!;
const T0 = "2026-01-01T00:00:00.000Z";
const T1 = "2026-01-02T00:00:00.000Z";

const deployed: HostRecord = {
  version: 1,
  containers: { keystone: { image: IMG("testbed"), configHash: "h0", fileHashes: { "keystone.conf": "a" }, updatedAt: T0 } },
  bootstrap: { "keystone:1:one_shot": { image: IMG("testbed"), at: T0 }, "keystone:3:exec": { image: IMG("testbed", "keystone-fernet"), at: T0 } },
};

describe("previous state in the host record", () => {
  it("saves the running image and the hashes of the files in the config dir (only that dir)", () => {
    const state = hostState({
      files: { "/etc/kolla/keystone/keystone.conf": file("a"), "/etc/kolla/keystone/config.json": file("b", 0o600), "/etc/kolla/keystone-ssh/x": file("c") },
      containers: [running("keystone", IMG("testbed"))],
      record: deployed,
    });
    const prev = previousFromState(state, "keystone", "/etc/kolla/keystone", "U1", T1);
    expect(prev).toMatchObject({ image: IMG("testbed"), configDir: "/etc/kolla/keystone", savedAt: T1, upgradeId: "U1" });
    expect(prev.imageId).toMatch(/^sha256:/);
    expect(prev.fileHashes).toEqual({ "keystone.conf": "a", "config.json": "b" });
    expect(prev.configHash).toBe(configHash([{ dest: "keystone.conf", mode: 0o660, sha256: "a" }, { dest: "config.json", mode: 0o600, sha256: "b" }]));
  });

  it("an upgrade records previous, then the new current entry keeps it", () => {
    const prev = previousFromState(hostState({ containers: [running("keystone", IMG("testbed"))], record: deployed }), "keystone", "/etc/kolla/keystone", "U1", T1);
    let record = withPrevious(deployed, "keystone", prev);
    expect(record.containers.keystone).toMatchObject({ image: IMG("testbed"), configHash: "h0", previous: prev });
    record = withUpgraded(record, { container: "keystone", image: IMG("t2"), configHash: "h1", fileHashes: { "keystone.conf": "z" } }, T1, true);
    expect(record.containers.keystone).toEqual({ image: IMG("t2"), configHash: "h1", fileHashes: { "keystone.conf": "z" }, updatedAt: T1, previous: prev });
    expect(keepsPrevious(record.containers.keystone)).toBe(false);
  });

  it("after a failed health gate the earlier save is kept (only its upgrade id moves on)", () => {
    const good = previousFromState(hostState({ containers: [running("keystone", IMG("t2"))] }), "keystone", "/etc/kolla/keystone", "U1", T0);
    let record = withUpgraded(withPrevious(deployed, "keystone", good), { container: "keystone", image: IMG("broken"), configHash: "hb", fileHashes: {} }, T1, false);
    expect(record.containers.keystone!.gateFailedAt).toBe(T1);
    expect(keepsPrevious(record.containers.keystone)).toBe(true);
    const broken = previousFromState(hostState({ containers: [running("keystone", IMG("broken"))] }), "keystone", "/etc/kolla/keystone", "U2", T1);
    record = withPrevious(record, "keystone", broken);
    expect(record.containers.keystone!.previous).toEqual({ ...good, upgradeId: "U2" });
  });

  it("a container never recorded (adopted from kolla-ansible) gets an entry describing what it runs", () => {
    const prev = previousFromState(hostState({ containers: [running("keystone", IMG("x"))] }), "keystone", "/etc/kolla/keystone", "U1", T1);
    const record = withPrevious(emptyRecord(), "keystone", prev);
    expect(record.containers.keystone).toMatchObject({ image: IMG("x"), configHash: prev.configHash, previous: prev, updatedAt: T1 });
  });

  it("a rollback makes the saved state current again and keeps the save", () => {
    const prev = previousFromState(hostState({ containers: [running("keystone", IMG("testbed"))] }), "keystone", "/etc/kolla/keystone", "U1", T0);
    const upgraded = withUpgraded(withPrevious(deployed, "keystone", prev), { container: "keystone", image: IMG("t2"), configHash: "h1", fileHashes: {} }, T0, false);
    const rolled = withRolledBack(upgraded, "keystone", T1);
    expect(rolled.containers.keystone).toEqual({ image: prev.image, configHash: prev.configHash, fileHashes: prev.fileHashes, updatedAt: T1, previous: prev });
    expect(withRolledBack(deployed, "keystone", T1)).toBe(deployed);
  });

  it("bootstrap records follow their container's image, and only theirs", () => {
    expect(stepContainer(keystone, "keystone:1:one_shot")).toBe("keystone");
    expect(stepContainer(keystone, "keystone:3:exec")).toBe("keystone_fernet");
    expect(stepContainer(keystone, "glance:1:one_shot")).toBeUndefined();
    const moved = withStepsMoved(deployed, keystone, "keystone", IMG("testbed"), IMG("t2"));
    expect(moved.bootstrap["keystone:1:one_shot"]).toEqual({ image: IMG("t2"), at: T0 });
    expect(moved.bootstrap["keystone:3:exec"]).toEqual(deployed.bootstrap["keystone:3:exec"]);
  });

  it("rollback targets the latest upgrade among the role's containers", () => {
    const withId = (id: string, container = "keystone") => withPrevious(deployed, container, { image: "i", configHash: "c", fileHashes: {}, configDir: "/d", savedAt: id, upgradeId: id });
    expect(latestUpgradeId([withId("2026-01-01"), withId("2026-01-03"), deployed], new Set(["keystone"]))).toBe("2026-01-03");
    expect(latestUpgradeId([withId("2026-01-05", "glance_api")], new Set(["keystone"]))).toBeUndefined();
  });

  it("the record format stays readable both ways: old records parse, new fields survive a round trip", () => {
    expect(parseHostRecord(serializeRecord(deployed))).toEqual(deployed);
    const prev = previousFromState(hostState({ containers: [running("keystone", IMG("testbed"))] }), "keystone", "/etc/kolla/keystone", "U1", T0);
    const record = withUpgraded(withPrevious(deployed, "keystone", prev), { container: "keystone", image: IMG("t2"), configHash: "h1", fileHashes: {} }, T1, false);
    expect(parseHostRecord(serializeRecord(record))).toEqual(record);
    expect(previousDir("keystone")).toBe("/var/lib/kolla-deploy/previous/keystone");
  });
});
