import { describe, expect, it } from "vitest";
import { aptInstallArgv, missingPackages } from "../../../src/image-build/apt.js";
import { bootstrapKey, layerKey } from "../../../src/image-build/cache-key.js";
import { CONFIG_TYPE, imageConfigJson, inheritSettings, LAYER_TYPE, MANIFEST_TYPE, manifestJson, sha256Digest } from "../../../src/image-build/image-config.js";
import { chrootArgv, mountArgvs, mountPoints, overlayOptions } from "../../../src/image-build/mounts.js";
import { addressClass, deviceOf, parseRegistry } from "../../../src/image-build/route.js";
import type { ImageDefinition, LayerInfo } from "../../../src/image-build/types.js";
import { createUserArgvs, kollaUser, resolveOwner } from "../../../src/image-build/users.js";

function definition(over: Partial<ImageDefinition>): ImageDefinition {
  return { name: "x", file: "x/image.yml", dir: "/d", parent: "base", bootstrap: undefined, users: [], packages: [], files: [], run: [], env: {}, labels: {}, user: undefined, workdir: undefined, entrypoint: undefined, cmd: undefined, ...over };
}

const LAYERS: LayerInfo[] = [
  { key: "k1".padEnd(64, "0"), digest: "sha256:aa", diffId: "sha256:a1", size: 10, created: "2026-01-01T00:00:00Z" },
  { key: "k2".padEnd(64, "0"), digest: "sha256:bb", diffId: "sha256:b1", size: 20, created: "2026-01-02T00:00:00Z" },
];

describe("cache keys", () => {
  const d = definition({ packages: ["memcached"], run: [["true"]] });
  const file = { dest: "/f", mode: 0o644, owner: "root:root", contentHash: "00" };
  it("change with what goes into the layer", () => {
    const key = layerKey(d, "sha256:p", [file]);
    expect(layerKey(d, "sha256:p", [file])).toBe(key);
    expect(layerKey(d, "sha256:other", [file])).not.toBe(key);
    expect(layerKey({ ...d, packages: ["memcached", "x"] }, "sha256:p", [file])).not.toBe(key);
    expect(layerKey(d, "sha256:p", [{ ...file, contentHash: "01" }])).not.toBe(key);
    expect(layerKey(d, "sha256:p", [{ ...file, mode: 0o755 }])).not.toBe(key);
    expect(layerKey({ ...d, run: [["false"]] }, "sha256:p", [file])).not.toBe(key);
  });
  it("do not change with image settings that live in the config", () => {
    const key = layerKey(d, "sha256:p", []);
    expect(layerKey({ ...d, env: { A: "1" }, labels: { l: "v" }, user: "nova", cmd: ["x"] }, "sha256:p", [])).toBe(key);
    const boot = definition({ parent: undefined, bootstrap: { suite: "bookworm", variant: "minbase", mirror: "http://m", include: [] } });
    expect(bootstrapKey({ ...boot, packages: ["x"] })).toBe(bootstrapKey(boot));
    expect(bootstrapKey({ ...boot, bootstrap: { ...boot.bootstrap!, suite: "trixie" } })).not.toBe(bootstrapKey(boot));
  });
});

describe("image config and manifest", () => {
  it("inherits env and labels key by key, the rest replaced", () => {
    const s = inheritSettings([
      definition({ env: { A: "1", B: "1" }, labels: { l: "base" }, entrypoint: ["dumb-init"], cmd: ["kolla_start"], user: "root" }),
      definition({ env: { B: "2" }, user: "memcached" }),
    ]);
    expect(s.env).toMatchObject({ A: "1", B: "2", PATH: expect.stringContaining("/usr/bin") });
    expect(s).toMatchObject({ labels: { l: "base" }, user: "memcached", entrypoint: ["dumb-init"], cmd: ["kolla_start"] });
  });

  it("lists the layers' diff_ids in the config and their blobs in a schema-2 manifest", () => {
    const settings = inheritSettings([definition({ env: { K: "v" }, user: "memcached", entrypoint: ["dumb-init", "--"], cmd: ["kolla_start"] })]);
    const config = imageConfigJson({ name: "memcached", architecture: "amd64", created: "2026-01-02T00:00:00Z", settings, layers: LAYERS });
    const parsed = JSON.parse(config);
    expect(parsed).toMatchObject({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: ["sha256:a1", "sha256:b1"] } });
    expect(parsed.config).toMatchObject({ User: "memcached", Entrypoint: ["dumb-init", "--"], Cmd: ["kolla_start"], Env: expect.arrayContaining(["K=v"]) });
    expect(parsed.history).toHaveLength(2);
    const manifest = JSON.parse(manifestJson(config, LAYERS));
    expect(manifest).toEqual({
      schemaVersion: 2,
      mediaType: MANIFEST_TYPE,
      config: { mediaType: CONFIG_TYPE, size: Buffer.byteLength(config), digest: sha256Digest(config) },
      layers: [{ mediaType: LAYER_TYPE, size: 10, digest: "sha256:aa" }, { mediaType: LAYER_TYPE, size: 20, digest: "sha256:bb" }],
    });
  });
});

describe("apt", () => {
  it("installs without recommends", () => {
    expect(aptInstallArgv(["a", "b"])).toEqual(expect.arrayContaining(["install", "-y", "--no-install-recommends", "a", "b"]));
  });
  it("names the packages apt cannot install", () => {
    const out = "Reading package lists...\nE: Unable to locate package memcahced\nE: Package 'python3-nope' has no installation candidate\nE: Unable to locate package memcahced\n";
    expect(missingPackages(out)).toEqual(["memcahced", "python3-nope"]);
    expect(missingPackages("E: Sub-process /usr/bin/dpkg returned an error code (1)")).toEqual([]);
  });
});

describe("build root mounts", () => {
  const root = { lower: ["/c/l2/root", "/c/l1/root"], upper: "/c/new/root", work: "/c/new/work", merged: "/c/new/merged", aptLists: "/c/apt/lists", aptCache: "/c/apt/cache", resolvConf: "/etc/resolv.conf" };
  it("stacks the parent's layers topmost first, with plain upper-dir semantics", () => {
    expect(overlayOptions(root)).toBe("lowerdir=/c/l2/root:/c/l1/root,upperdir=/c/new/root,workdir=/c/new/work,redirect_dir=off,metacopy=off,index=off,xino=off");
    expect(mountArgvs(root)[0]).toEqual(["mount", "-t", "overlay", "overlay", "-o", overlayOptions(root), "/c/new/merged"]);
  });
  it("unmounts every mount point, the overlay last", () => {
    const points = mountPoints(root);
    expect(points.at(-1)).toBe("/c/new/merged");
    for (const argv of mountArgvs(root).filter((a) => a[0] === "mount")) expect(points).toContain(argv.at(-1));
  });
  it("runs chroot commands with exactly the given environment", () => {
    expect(chrootArgv("/m", { A: "1" }, ["apt-get", "update"])).toEqual(["chroot", "/m", "/usr/bin/env", "-i", "A=1", "apt-get", "update"]);
  });
});

describe("users", () => {
  it("creates kolla's users with their fixed ids, in group kolla", () => {
    expect(kollaUser("memcached")).toEqual({ name: "memcached", uid: 42457, home: "/var/lib/memcached" });
    expect(kollaUser("nobody")).toBeUndefined();
    expect(createUserArgvs(kollaUser("nova")!)[1]).toEqual(expect.arrayContaining(["--uid", "42436", "--groups", "kolla", "nova"]));
  });
  it("resolves owners from the image's passwd and group", () => {
    const passwd = "root:x:0:0::/root:/bin/sh\nmemcached:x:42457:42457::/var/lib/memcached:/usr/sbin/nologin\n";
    const group = "root:x:0:\nkolla:x:42400:memcached\nmemcached:x:42457:\n";
    expect(resolveOwner("memcached", passwd, group)).toEqual({ uid: 42457, gid: 42457 });
    expect(resolveOwner("memcached:kolla", passwd, group)).toEqual({ uid: 42457, gid: 42400 });
    expect(resolveOwner("nova", passwd, group)).toMatch(/user "nova" does not exist/);
  });
});

describe("registry address rule", () => {
  it("accepts only IPv4:port and classifies the address", () => {
    expect(parseRegistry("198.18.0.1:5000")).toEqual({ host: "198.18.0.1", port: 5000 });
    expect(() => parseRegistry("registry.example.com:5000")).toThrow(/not IPV4:PORT/);
    expect(() => parseRegistry("300.1.1.1:5000")).toThrow(/not IPV4:PORT/);
    expect(addressClass("127.0.0.1")).toBe("loopback");
    expect(addressClass("198.19.4.1")).toBe("testbed");
    expect(addressClass("10.0.0.1")).toBe("other");
  });
  it("reads the device from ip's output", () => {
    expect(deviceOf("198.18.0.11 dev kt-br0 src 198.18.0.1 uid 0 \\    cache ")).toBe("kt-br0");
    expect(deviceOf("5: kt-br0    inet 198.18.0.1/24 brd 198.18.0.255 scope global kt-br0")).toBe("kt-br0");
    expect(deviceOf("")).toBeUndefined();
  });
});
