/** Parsers read real inspect output captured on the test bed (docker 20.10.24, podman 4.3.1). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareContainer } from "../../../src/engine/compare.js";
import { parseContainerInspect, parseImageInspect } from "../../../src/engine/inspect.js";
import type { ContainerState } from "../../../src/engine/types.js";
import { fxFullSpec } from "../../fixtures/engine/fx-full-spec.js";
import { REPO_ROOT } from "../../helpers/cli.js";

const fixture = (name: string): string => readFileSync(join(REPO_ROOT, "tests", "fixtures", "engine", "inspect", name), "utf8");

for (const engine of ["docker", "podman"] as const) {
  describe(`parseContainerInspect() on ${engine}`, () => {
    const [full] = parseContainerInspect(fixture(`${engine}-full.json`)) as [ContainerState];
    const [image] = parseImageInspect(fixture(`${engine}-image.json`));

    it("reads every field kolla compares", () => {
      expect(full).toMatchObject({
        name: "fx_full",
        status: "running",
        health: engine === "docker" ? "healthy" : "starting",
        privileged: true,
        pidMode: "host",
        ipcMode: "host",
        cgroupnsMode: "host",
        securityOpt: ["label=disable"],
        tmpfs: ["/scratch"],
        memoryBytes: 67108864,
        cpuShares: 512,
        cpusetCpus: "0",
        command: ["sleep", "1000"],
        restartPolicy: "on-failure",
        restartRetries: 3,
        labels: { app: "x", kolla_managed: "true" },
        healthcheck: { test: ["CMD-SHELL", "true"], intervalSec: 30, timeoutSec: 5, retries: 3, startPeriodSec: 5 },
      });
      expect(full.env).toMatchObject({ FOO: "bar", KOLLA_SERVICE_NAME: "fx-full" });
      expect([...full.binds].sort()).toEqual([
        "/etc/kolla/fx:/var/lib/kolla/config_files:ro",
        "/run:/run:rw,shared",
        "fxdata:/var/lib/fx:rw",
      ]);
      expect(full.ulimits).toContainEqual({ name: "nofile", soft: 1024, hard: 2048 });
      expect(full.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(full.startedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    });

    it("reads image ids in one form for both engines", () => {
      expect(image?.id).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(image?.repoTags.some((t) => t.endsWith("testbed/busybox:latest"))).toBe(true);
      expect(full.imageId).toBe(image?.id);
    });

    it("reads a stopped container and a default one", () => {
      const [min, exited] = parseContainerInspect(fixture(`${engine}-min-exited.json`)) as [ContainerState, ContainerState];
      expect(min).toMatchObject({ name: "fx_min", status: "running", pidMode: "", ipcMode: "", privileged: false, binds: [] });
      expect(min.health).toBeUndefined();
      expect(min.healthcheck).toBeUndefined();
      expect(exited).toMatchObject({ name: "fx_exited", status: "exited", exitCode: 3, command: ["sh", "-c", "exit 3"] });
    });

    it("compares equal to the spec it was created from", () => {
      const spec = engine === "podman"
        ? { ...fxFullSpec, dimensions: { ...fxFullSpec.dimensions, ulimits: [...(fxFullSpec.dimensions.ulimits ?? []), { name: "nproc", soft: 1000, hard: 2000 }] } }
        : fxFullSpec;
      expect(compareContainer(spec, full, image?.id)).toEqual([]);
    });
  });
}

describe("parseContainerInspect() edge cases", () => {
  it("reads empty output as no containers and rejects non-JSON", () => {
    expect(parseContainerInspect("[]\n")).toEqual([]);
    expect(parseContainerInspect("")).toEqual([]);
    expect(() => parseContainerInspect("Error: no such container")).toThrow(SyntaxError);
  });
});
