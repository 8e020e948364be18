/** diffFile/diffHost: the create / recreate / restart / none decisions, COPY_ONCE, adopted containers. */
import { describe, expect, it } from "vitest";
import type { DesiredHost, DesiredService } from "../../../src/plan/desired.js";
import { diffFile, diffHost, type DiffOptions } from "../../../src/plan/diff.js";
import type { HostState } from "../../../src/plan/gather.js";
import { emptyRecord } from "../../../src/plan/record.js";
import { sha256 } from "../../../src/plan/render-files.js";
import { FX_DIR, FX_FILES, filesOnHost, fxContainer, fxService, hostState, recordFor } from "./fixtures.js";

const DEPLOY: DiffOptions = { writeFiles: true, handleContainers: true };
const GENCONFIG: DiffOptions = { writeFiles: true, handleContainers: false };
const DEPLOY_CONTAINERS: DiffOptions = { writeFiles: false, handleContainers: true };

function plan(svc: DesiredService, state: HostState, opts = DEPLOY) {
  const desired: DesiredHost = { host: "node1", services: [svc] };
  return diffHost(desired, state, opts);
}

function decision(svc: DesiredService, state: HostState, opts = DEPLOY): { action: string; reasons: readonly string[] } {
  const { action, reasons } = plan(svc, state, opts).containers[0]!;
  return { action, reasons };
}

/** A host where fx_full runs with exactly `svc`'s config, started by kolla-deploy. */
function converged(svc: DesiredService): HostState {
  return hostState({ files: filesOnHost(svc), record: { ...emptyRecord(), containers: { fx_full: recordFor(svc) } } });
}

const newConf = { ...FX_FILES, "fx.conf": "[DEFAULT]\ndebug = True\n" };

describe("diffFile", () => {
  const file = fxService().files[0]!;
  const remote = { sha256: file.sha256, mode: file.mode, owner: "root", group: "root" };

  it("creates a missing file, leaves an equal one, and names every difference of a changed one", () => {
    expect(diffFile(file, undefined)).toEqual({ path: file.path, action: "create", reasons: ["new file"] });
    expect(diffFile(file, remote)).toEqual({ path: file.path, action: "unchanged", reasons: [] });
    expect(diffFile(file, { sha256: sha256("other"), mode: 0o644, owner: "nova", group: "nova" })).toEqual({
      path: file.path,
      action: "update",
      reasons: ["content changed", "mode 0644 → 0660", "owner nova:nova → root:root"],
    });
  });
});

describe("diffHost container decisions", () => {
  it("the fixture container matches the fixture spec (so the cases below isolate one difference each)", () => {
    expect(fxContainer.name).toBe("fx_full");
    expect(plan(fxService(), converged(fxService()))).toEqual({
      files: Object.keys(FX_FILES).map((n) => ({ path: `${FX_DIR}/${n}`, action: "unchanged", reasons: [] })),
      containers: [expect.objectContaining({ container: "fx_full", action: "none", reasons: [] })],
    });
  });

  it("creates a missing container", () => {
    expect(decision(fxService(), hostState({ containers: [] }))).toEqual({ action: "create", reasons: ["container missing"] });
  });

  it("recreates a container whose spec differs, naming the spec reasons and the changed files", () => {
    const state = converged(fxService());
    expect(decision(fxService({ environment: { NEW: "1" } }), state)).toEqual({ action: "recreate", reasons: ["environment changed: NEW"] });
    expect(decision(fxService({ files: newConf, environment: { NEW: "1" } }), state)).toEqual({
      action: "recreate",
      reasons: ["environment changed: NEW", "fx.conf changed"],
    });
  });

  it("recreates when the image is gone locally or points at another id", () => {
    expect(decision(fxService(), { ...converged(fxService()), images: new Map() }).action).toBe("recreate");
    const moved = new Map([[fxService().spec.image, `sha256:${"b".repeat(64)}`]]);
    expect(decision(fxService(), { ...converged(fxService()), images: moved }).action).toBe("recreate");
  });

  it("restarts a container whose config changed, and says which file", () => {
    expect(decision(fxService({ files: newConf }), converged(fxService()))).toEqual({ action: "restart", reasons: ["fx.conf changed"] });
  });

  it("restarts when the host's file was changed behind our back (it is rewritten now), although the record matches", () => {
    const svc = fxService();
    const tampered = new Map(filesOnHost(svc));
    tampered.set(`${FX_DIR}/fx.conf`, { ...tampered.get(`${FX_DIR}/fx.conf`)!, sha256: sha256("edited by hand") });
    const state = { ...converged(svc), files: tampered };
    const { files, containers } = plan(svc, state);
    expect(files.filter((f) => f.action !== "unchanged").map((f) => f.path)).toEqual([`${FX_DIR}/fx.conf`]);
    expect(containers[0]).toMatchObject({ action: "restart", reasons: ["fx.conf changed"] });
  });

  it("recreates instead of restarting a COPY_ONCE container (it reads its config only on first start)", () => {
    const once = { KOLLA_CONFIG_STRATEGY: "COPY_ONCE" };
    const running = { ...fxContainer, env: { ...fxContainer.env, ...once } };
    const state = { ...converged(fxService({ environment: once })), containers: new Map([["fx_full", running]]) };
    expect(decision(fxService({ environment: once }), state).action).toBe("none");
    expect(decision(fxService({ environment: once, files: newConf }), state)).toEqual({ action: "recreate", reasons: ["fx.conf changed"] });
  });

  it("adopts a running container without a record: left alone when its files already match", () => {
    const svc = fxService();
    const adopted = hostState({ files: filesOnHost(svc) });
    expect(decision(svc, adopted)).toEqual({ action: "none", reasons: [] });
  });

  it("restarts an adopted container only for the files this run writes", () => {
    const svc = fxService({ files: newConf });
    const adopted = hostState({ files: filesOnHost(fxService()) });
    expect(decision(svc, adopted)).toEqual({ action: "restart", reasons: ["fx.conf changed"] });
  });

  it("carries the config hash to record after the change", () => {
    const svc = fxService({ files: newConf });
    const change = plan(svc, converged(fxService())).containers[0]!;
    expect(change).toMatchObject({ role: "fx", service: "fx", configHash: svc.configHash, fileHashes: svc.fileHashes });
  });
});

describe("diffHost per verb", () => {
  it("genconfig plans files only", () => {
    const result = plan(fxService({ files: newConf }), converged(fxService()), GENCONFIG);
    expect(result.containers).toEqual([]);
    expect(result.files.map((f) => f.action)).toEqual(["update", "unchanged"]);
  });

  it("deploy-containers writes nothing and judges the container by the files already on the host", () => {
    const started = fxService();
    const onHostNow = fxService({ files: newConf }); // genconfig ran since the container started
    const state = { ...converged(started), files: filesOnHost(onHostNow) };
    const result = plan(fxService(), state, DEPLOY_CONTAINERS);
    expect(result.files).toEqual([]);
    expect(result.containers[0]).toMatchObject({ action: "restart", reasons: ["fx.conf changed"], configHash: onHostNow.configHash });
    expect(plan(fxService(), converged(started), DEPLOY_CONTAINERS).containers[0]!.action).toBe("none");
  });

  it("deploy-containers counts a missing config file as changed", () => {
    const svc = fxService();
    const files = filesOnHost(svc);
    files.delete(`${FX_DIR}/fx.conf`);
    const change = plan(svc, { ...converged(svc), files }, DEPLOY_CONTAINERS).containers[0]!;
    expect(change).toMatchObject({ action: "restart", reasons: ["fx.conf changed"] });
    expect(change.fileHashes["fx.conf"]).toBe("missing");
  });
});
