/** compareContainer() against a real docker inspect (fixture) and specs that differ in one way each. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareContainer } from "../../../src/engine/compare.js";
import { parseContainerInspect, parseImageInspect } from "../../../src/engine/inspect.js";
import type { ContainerSpec, ContainerState } from "../../../src/engine/types.js";
import { REPO_ROOT } from "../../helpers/cli.js";
import { fxFullSpec } from "../../fixtures/engine/fx-full-spec.js";

const read = (name: string): string => readFileSync(join(REPO_ROOT, "tests", "fixtures", "engine", "inspect", name), "utf8");
const current = parseContainerInspect(read("docker-full.json"))[0] as ContainerState;
const imageId = parseImageInspect(read("docker-image.json"))[0]?.id;
const differences = (change: Partial<ContainerSpec>): string[] => compareContainer({ ...fxFullSpec, ...change }, current, imageId);

describe("compareContainer()", () => {
  it("reports nothing when nothing changed", () => {
    expect(differences({})).toEqual([]);
  });

  it("reports a missing container alone", () => {
    expect(compareContainer(fxFullSpec, undefined, imageId)).toEqual(["container missing"]);
  });

  it("reports a changed image id, a changed image name, and an image that is not present", () => {
    expect(compareContainer(fxFullSpec, current, "sha256:" + "a".repeat(64))).toEqual([
      expect.stringMatching(/^image changed: [0-9a-f]{12} → aaaaaaaaaaaa \(testbed\/busybox:latest\)$/),
    ]);
    expect(differences({ image: "198.18.0.1:5000/testbed/busybox:latest" })).toEqual([
      "image changed: testbed/busybox:latest → 198.18.0.1:5000/testbed/busybox:latest",
    ]);
    expect(compareContainer(fxFullSpec, current, undefined)).toEqual(["image not present locally: testbed/busybox:latest"]);
  });

  it("names changed environment variables, never their values", () => {
    const reasons = differences({ environment: { FOO: "s3cret-value", NEW: "x" } });
    expect(reasons).toEqual(["environment changed: FOO, NEW"]);
    expect(reasons.join()).not.toContain("s3cret");
  });

  it("ignores extra environment in the container", () => {
    expect(current.env.FOO).toBe("bar");
    expect(differences({ environment: {} })).toEqual([]);
  });

  it("reports added and removed volumes, ignoring trailing slashes and empty entries", () => {
    expect(differences({ volumes: ["/etc/kolla/fx/:/var/lib/kolla/config_files/:ro", "", "fxdata:/var/lib/fx", "/run:/run:shared"] })).toEqual([]);
    expect(differences({ volumes: ["/etc/kolla/fx:/var/lib/kolla/config_files:ro", "fxdata:/var/lib/fx", "/x:/y"] })).toEqual([
      "volumes changed: +/x:/y:rw -/run:/run:rw,shared",
    ]);
    expect(differences({ volumes: ["/etc/kolla/fx:/var/lib/kolla/config_files:rw", "fxdata:/var/lib/fx", "/run:/run:shared"] })).toEqual([
      "volumes changed: +/etc/kolla/fx:/var/lib/kolla/config_files:rw -/etc/kolla/fx:/var/lib/kolla/config_files:ro",
    ]);
  });

  it("reports a changed healthcheck, and NONE equals no healthcheck", () => {
    const hc = fxFullSpec.healthcheck!;
    expect(differences({ healthcheck: { ...hc, intervalSec: 10 } })).toEqual(["healthcheck changed"]);
    expect(differences({ healthcheck: { ...hc, test: ["CMD-SHELL", "false"] } })).toEqual(["healthcheck changed"]);
    expect(differences({ healthcheck: undefined })).toEqual(["healthcheck changed"]);
    const none = { ...current, healthcheck: undefined };
    expect(compareContainer({ ...fxFullSpec, healthcheck: { ...hc, test: ["NONE"] } }, none, imageId)).toEqual([]);
  });

  it("compares dimensions after unit normalisation", () => {
    expect(differences({ dimensions: { ...fxFullSpec.dimensions, memLimit: "67108864" } })).toEqual([]);
    expect(differences({ dimensions: { ...fxFullSpec.dimensions, memLimit: "128m" } })).toEqual(["dimensions changed: mem_limit"]);
    expect(differences({ dimensions: { memLimit: "64m", cpuShares: 512, cpusetCpus: "0" } })).toEqual(["dimensions changed: ulimits"]);
    expect(differences({ dimensions: { ...fxFullSpec.dimensions, cpus: "1" } })).toEqual(["dimensions changed: cpus"]);
  });

  it("compares flags, caps, tmpfs, labels and the command", () => {
    expect(differences({ privileged: false, capAdd: ["NET_ADMIN"] })).toEqual(["privileged changed: true → false"]);
    expect(differences({ pidMode: undefined })).toEqual(["pid_mode changed: host → default"]);
    expect(differences({ tmpfs: ["/scratch", "/other"] })).toEqual(["tmpfs changed: +/other"]);
    expect(differences({ labels: { app: "y" } })).toEqual(["labels changed: app"]);
    expect(differences({ command: "sleep 2000" })).toEqual(["command changed: sleep 1000 → sleep 2000"]);
    expect(differences({ cgroupnsMode: "private" })).toEqual(["cgroupns_mode changed: host → private"]);
  });

  it("skips cap_add for privileged containers and compares it otherwise", () => {
    expect(differences({ capAdd: ["SYS_ADMIN"] })).toEqual([]);
    const desired = { ...fxFullSpec, privileged: false, pidMode: undefined, ipcMode: undefined, capAdd: ["SYS_ADMIN"] };
    const unprivileged = { ...current, privileged: false, pidMode: "", ipcMode: "" };
    expect(compareContainer(desired, unprivileged, imageId)).toEqual(["cap_add changed: +SYS_ADMIN -NET_ADMIN"]);
  });

  it("does not compare the restart policy (like kolla)", () => {
    expect(differences({ restartPolicy: "always", restartRetries: undefined })).toEqual([]);
  });

  it("reports a container that is not running", () => {
    expect(compareContainer(fxFullSpec, { ...current, status: "exited" }, imageId)).toEqual(["not running (exited)"]);
  });
});
