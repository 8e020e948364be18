/**
 * The engine drivers against real engines on the test bed (docker 20.10 and podman 4.3):
 * every spec field survives create → inspect → compare, the comparison sees real changes,
 * one-shot containers, health waits, and pulls through the test bed's registry.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { compareContainer } from "../../src/engine/compare.js";
import { driverFor } from "../../src/engine/driver.js";
import {
  execInContainer,
  inspectContainers,
  inspectImages,
  pullImage,
  removeContainer,
  restartContainer,
  runOneShot,
  startContainer,
  stopContainer,
  waitUntilHealthy,
} from "../../src/engine/ops.js";
import type { ContainerSpec } from "../../src/engine/types.js";
import type { DeployError } from "../../src/errors.js";
import { hostRunner, runOnHost } from "../helpers/ssh-runner.js";
import { describeTestbed, loadTestbed, type Testbed } from "../helpers/testbed.js";

const HOST = "node2";
const id = `eng${process.pid}`;

function baseSpec(name: string, image: string): ContainerSpec {
  return {
    name,
    image,
    command: "sleep 600",
    environment: {},
    labels: {},
    volumes: [],
    privileged: false,
    capAdd: [],
    securityOpt: [],
    tmpfs: [],
    dimensions: {},
    restartPolicy: "no",
  };
}

/** Every field the drivers support; nproc is set because podman otherwise asks for more than the bed allows. */
function fullSpec(name: string, image: string): ContainerSpec {
  return {
    ...baseSpec(name, image),
    environment: { KOLLA_CONFIG_STRATEGY: "COPY_ALWAYS", GREETING: "hello world" },
    labels: { role: "test" },
    volumes: [`/etc/kolla/${name}/:/var/lib/kolla/config_files/:ro`, "", `${name}_data:/var/lib/data`, "/run:/run:shared"],
    privileged: true,
    pidMode: "host",
    ipcMode: "host",
    cgroupnsMode: "host",
    capAdd: ["NET_ADMIN"],
    securityOpt: ["label=disable"],
    tmpfs: ["/scratch"],
    healthcheck: { test: ["CMD-SHELL", "test -d /scratch"], intervalSec: 30, timeoutSec: 5, retries: 3, startPeriodSec: 5 },
    dimensions: {
      ulimits: [{ name: "nofile", soft: 1024, hard: 2048 }, { name: "nproc", soft: 1000, hard: 2000 }],
      memLimit: "64m",
      memReservation: "32m",
      cpus: "0.5",
      cpusetCpus: "0",
      cpuShares: 512,
    },
    restartPolicy: "on-failure",
    restartRetries: 3,
  };
}

for (const engine of ["docker", "podman"] as const) {
  describeTestbed(`engine driver on a real ${engine}`, () => {
    const driver = driverFor(engine);
    const names: string[] = [];
    const name = (suffix: string): string => {
      const n = `${id}_${engine}_${suffix}`;
      names.push(n);
      return n;
    };
    let bed: Testbed;
    let run: ReturnType<typeof hostRunner>;
    let image: string;
    let imageId: string | undefined;

    beforeAll(async () => {
      bed = loadTestbed();
      if (engine === "podman" && !bed.hosts.find((h) => h.name === HOST)?.podman) {
        throw new Error(`podman is not enabled on ${HOST}: bring the test bed up with TESTBED_PODMAN=1`);
      }
      run = hostRunner(bed, HOST);
      image = bed.image;
      imageId = (await inspectImages(run, driver, [image])).get(image)?.id;
    });

    afterAll(async () => {
      for (const n of names) await removeContainer(run, driver, n);
      await runOnHost(bed, HOST, ["sh", "-c", `${engine} volume ls -q | grep '^${id}_' | xargs -r ${engine} volume rm -f; ${engine} rmi -f ${id}-img:2 198.18.0.1:5000/testbed/${id}-${engine}:v1 >/dev/null 2>&1; rm -rf /etc/kolla/${id}_*; true`]);
    });

    it("creates a container from every spec field and reads each back", async () => {
      const spec = fullSpec(name("full"), image);
      await runOnHost(bed, HOST, ["mkdir", "-p", `/etc/kolla/${spec.name}`]);
      await startContainer(run, driver, spec);
      const state = (await inspectContainers(run, driver, [spec.name])).get(spec.name);
      expect(state).toMatchObject({
        status: "running",
        privileged: true,
        pidMode: "host",
        ipcMode: "host",
        labels: { kolla_managed: "true", role: "test" },
        tmpfs: ["/scratch"],
        memoryBytes: 64 * 1024 * 1024,
        memoryReservationBytes: 32 * 1024 * 1024,
        nanoCpus: 500_000_000,
        cpuShares: 512,
        command: ["sleep", "600"],
      });
      expect(state?.env).toMatchObject({ GREETING: "hello world", KOLLA_SERVICE_NAME: spec.name.replaceAll("_", "-") });
      expect(compareContainer(spec, state, imageId)).toEqual([]);
    });

    it("reports a changed image, environment, volume and healthcheck, and nothing when nothing changed", async () => {
      const spec = { ...baseSpec(name("cmp"), image), volumes: [`${id}_cmp:/data`], healthcheck: fullSpec("x", image).healthcheck! };
      await startContainer(run, driver, spec);
      const state = (await inspectContainers(run, driver, [spec.name])).get(spec.name);
      expect(compareContainer(spec, state, imageId)).toEqual([]);

      const committed = await run({ argv: [engine, "commit", spec.name, `${id}-img:2`] });
      expect(committed.code).toBe(0);
      const newImage = `${id}-img:2`;
      const newId = (await inspectImages(run, driver, [newImage])).get(newImage)?.id;
      expect(newId).toBeDefined();
      expect(newId).not.toBe(imageId);
      expect(compareContainer({ ...spec, image: newImage }, state, newId)).toEqual([
        `image changed: ${imageId!.slice(7, 19)} → ${newId!.slice(7, 19)} (${newImage})`,
      ]);
      expect(compareContainer({ ...spec, environment: { NEW_VAR: "1" } }, state, imageId)).toEqual(["environment changed: NEW_VAR"]);
      expect(compareContainer({ ...spec, volumes: [`${id}_cmp:/data:ro`] }, state, imageId)).toEqual([
        `volumes changed: +${id}_cmp:/data:ro -${id}_cmp:/data:rw`,
      ]);
      const hc = { ...spec.healthcheck, intervalSec: 10 };
      expect(compareContainer({ ...spec, healthcheck: hc }, state, imageId)).toEqual(["healthcheck changed"]);
    });

    it("stops, restarts and execs", async () => {
      const spec = baseSpec(name("life"), image);
      await startContainer(run, driver, spec);
      // podman writes /etc/hostname without a newline
      expect((await execInContainer(run, driver, spec.name, ["cat", "/etc/hostname"])).stdout.trim()).toBe(HOST);
      await stopContainer(run, driver, spec.name, 1);
      expect((await inspectContainers(run, driver, [spec.name])).get(spec.name)?.status).toBe("exited");
      expect(compareContainer(spec, (await inspectContainers(run, driver, [spec.name])).get(spec.name), imageId)).toEqual([
        "not running (exited)",
      ]);
      await restartContainer(run, driver, spec.name, 1);
      expect((await inspectContainers(run, driver, [spec.name])).get(spec.name)?.status).toBe("running");
    });

    it("runs a one-shot container to its exit code and removes it", async () => {
      const spec = { ...baseSpec(name("once"), image), command: "sh -c 'echo bootstrapped; exit 7'" };
      const result = await runOneShot(run, driver, spec);
      expect(result).toMatchObject({ code: 7, stdout: "bootstrapped\n" });
      expect((await inspectContainers(run, driver, [spec.name])).has(spec.name)).toBe(false);
    });

    it("waits until a container is healthy", async () => {
      const hc = { test: ["CMD-SHELL", "true"], intervalSec: 1, timeoutSec: 2, retries: 3, startPeriodSec: 0 };
      const spec = { ...baseSpec(name("healthy"), image), healthcheck: hc };
      await startContainer(run, driver, spec);
      const state = await waitUntilHealthy(run, driver, spec.name, { timeoutMs: 15_000, pollMs: 300 });
      expect(state.health).toBe("healthy");
    });

    it("gives up on a container that never gets healthy, quoting its last check", async () => {
      const hc = { test: ["CMD-SHELL", "echo not-ready-yet; exit 1"], intervalSec: 1, timeoutSec: 2, retries: 100, startPeriodSec: 0 };
      const spec = { ...baseSpec(name("sick"), image), healthcheck: hc };
      await startContainer(run, driver, spec);
      const err = (await waitUntilHealthy(run, driver, spec.name, { timeoutMs: 3000, pollMs: 300 }).catch((e: unknown) => e)) as DeployError;
      expect(err.code).toBe("E_ENGINE_HEALTH");
      expect(err.message).toMatch(/not healthy after 3000 ms \((starting|unhealthy)\); last check said: not-ready-yet/);
    });

    it("pulls through the test bed's registry, and fails clearly for a missing image", async () => {
      const ref = `${bed.registry}/testbed/${id}-${engine}:v1`;
      const tls = engine === "podman" ? ["--tls-verify=false"] : [];
      const pushed = await runOnHost(bed, HOST, ["sh", "-c", `${engine} tag ${image} ${ref} && ${engine} push ${tls.join(" ")} ${ref} >/dev/null && ${engine} rmi ${ref} >/dev/null`]);
      expect(pushed).toMatchObject({ code: 0 });
      expect((await inspectImages(run, driver, [ref])).has(ref)).toBe(false);
      await pullImage(run, driver, ref, { insecureRegistry: true });
      expect((await inspectImages(run, driver, [ref])).get(ref)?.id).toBe(imageId);
      const missing = `${bed.registry}/testbed/${id}-missing:v1`;
      const err = (await pullImage(run, driver, missing, { insecureRegistry: true, attempts: 2, backoffMs: 50 }).catch((e: unknown) => e)) as DeployError;
      expect(err.code).toBe("E_ENGINE_PULL");
      // A tag the registry lacks is not retried: retrying cannot make it appear.
      expect(err.message).toContain(`pulling ${missing} failed, the registry does not have it`);
    });
  });
}
