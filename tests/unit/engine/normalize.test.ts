import { describe, expect, it } from "vitest";
import {
  cpusToNano,
  desiredEnvironment,
  healthcheckTest,
  normalizeImageRef,
  normalizeMountMode,
  parseVolume,
  sizeToBytes,
  splitCommand,
} from "../../../src/engine/normalize.js";
import type { ContainerSpec } from "../../../src/engine/types.js";

describe("engine normal forms", () => {
  it("sizeToBytes() reads docker sizes base 1024", () => {
    expect(sizeToBytes("64m")).toBe(67108864);
    expect(sizeToBytes("2g")).toBe(2147483648);
    expect(sizeToBytes("2GB")).toBe(2147483648);
    expect(sizeToBytes("1024")).toBe(1024);
    expect(sizeToBytes(512)).toBe(512);
    expect(() => sizeToBytes("lots")).toThrow(/not a size/);
  });

  it("cpusToNano() matches NanoCpus", () => {
    expect(cpusToNano("1.5")).toBe(1_500_000_000);
  });

  it("parseVolume() splits binds, named and anonymous volumes and drops empty entries", () => {
    expect(parseVolume("/etc/kolla/x/:/var/lib/kolla/config_files/:ro")).toEqual({
      source: "/etc/kolla/x",
      target: "/var/lib/kolla/config_files",
      mode: "ro",
    });
    expect(parseVolume("kolla_logs:/var/log/kolla/")).toEqual({ source: "kolla_logs", target: "/var/log/kolla", mode: "rw" });
    expect(parseVolume("/run:/run:shared")).toEqual({ source: "/run", target: "/run", mode: "rw,shared" });
    expect(parseVolume("/var/lib/anon")).toEqual({ target: "/var/lib/anon", mode: "rw" });
    expect(parseVolume("")).toBeUndefined();
    expect(parseVolume("  ")).toBeUndefined();
  });

  it("normalizeMountMode() keeps access and non-default propagation only", () => {
    expect(normalizeMountMode("rw,rprivate,nosuid,nodev,rbind")).toBe("rw");
    expect(normalizeMountMode("shared,rw,rbind")).toBe("rw,shared");
    expect(normalizeMountMode("ro,rprivate,rbind")).toBe("ro");
    expect(normalizeMountMode(undefined)).toBe("rw");
  });

  it("splitCommand() splits like shlex", () => {
    expect(splitCommand(`sh -c 'exec foo --bar "x y"'`)).toEqual(["sh", "-c", `exec foo --bar "x y"`]);
    expect(splitCommand(`a "b c" d\\ e ''`)).toEqual(["a", "b c", "d e", ""]);
    expect(() => splitCommand(`a 'b`)).toThrow(/container command into words: no closing quotation/);
    expect(splitCommand(`echo "\\$HOME"`)).toEqual(["echo", "\\$HOME"]);
  });

  it("healthcheckTest() turns the exec form into one shell string", () => {
    const hc = { intervalSec: 1, timeoutSec: 1, retries: 1, startPeriodSec: 0 };
    expect(healthcheckTest({ ...hc, test: ["CMD", "curl", "http://x y"] })).toEqual(["CMD-SHELL", "curl 'http://x y'"]);
    expect(healthcheckTest({ ...hc, test: ["CMD-SHELL", "true"] })).toEqual(["CMD-SHELL", "true"]);
  });

  it("normalizeImageRef() ignores registry defaults", () => {
    expect(normalizeImageRef("localhost/testbed/busybox:latest")).toBe("testbed/busybox:latest");
    expect(normalizeImageRef("docker.io/library/busybox")).toBe("busybox:latest");
    expect(normalizeImageRef("registry:5000/kolla/x")).toBe("registry:5000/kolla/x:latest");
  });

  it("desiredEnvironment() injects KOLLA_SERVICE_NAME from the name, as kolla does", () => {
    const spec = { name: "nova_api", environment: { A: "1", KOLLA_SERVICE_NAME: "other" } } as unknown as ContainerSpec;
    expect(desiredEnvironment(spec)).toEqual({ A: "1", KOLLA_SERVICE_NAME: "nova-api" });
  });
});
