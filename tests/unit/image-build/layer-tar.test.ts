import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { linkSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { entryHeader, layerEntriesFor, paxBody, parseOpaqueDirs } from "../../../src/image-build/layer-tar.js";
import { writeLayer } from "../../../src/image-build/layer-writer.js";

const base = { mode: 0o755, uid: 0, gid: 0, size: 0, mtime: 1700000000 };

describe("overlay upper dir → layer entries", () => {
  it("turns a whiteout device into an empty .wh. file next to the deleted name", () => {
    expect(layerEntriesFor({ ...base, path: "etc/apt/old.conf", kind: "whiteout" })).toEqual([
      { path: "etc/apt/.wh.old.conf", type: "file", mode: 0o644, uid: 0, gid: 0, size: 0, mtime: 1700000000 },
    ]);
    expect(layerEntriesFor({ ...base, path: "top", kind: "whiteout" })[0]!.path).toBe(".wh.top");
  });

  it("adds the opaque marker after an opaque directory's own entry", () => {
    const entries = layerEntriesFor({ ...base, path: "var/lib/x", kind: "dir", opaque: true });
    expect(entries.map((e) => [e.path, e.type])).toEqual([["var/lib/x", "dir"], ["var/lib/x/.wh..wh..opq", "file"]]);
    expect(layerEntriesFor({ ...base, path: "var/lib/y", kind: "dir", opaque: false })).toHaveLength(1);
  });

  it("reads opaque directories from getfattr's dump", () => {
    const dump = '# file: /c/root/etc/sudoers.d\ntrusted.overlay.opaque="y"\n\n# file: /c/root/a\\040b\ntrusted.overlay.opaque="y"\n\n# file: /other/x\ntrusted.overlay.opaque="y"\n';
    expect([...parseOpaqueDirs(dump, "/c/root")]).toEqual(["etc/sudoers.d", "a b"]);
  });
});

describe("tar headers", () => {
  it("writes a valid ustar header with mode, owner, type and checksum", () => {
    const header = entryHeader({ path: "usr/bin/sudo", type: "file", mode: 0o4755, uid: 0, gid: 0, size: 10, mtime: 1 });
    expect(header).toHaveLength(512);
    expect(header.subarray(0, 12).toString("latin1")).toBe("usr/bin/sudo");
    expect(header.subarray(100, 107).toString("latin1")).toBe("0004755");
    expect(header.subarray(257, 263).toString("latin1")).toBe("ustar\u0000");
    const stored = parseInt(header.subarray(148, 154).toString("latin1"), 8);
    const copy = Buffer.from(header);
    copy.fill(0x20, 148, 156);
    expect(stored).toBe(copy.reduce((sum, b) => sum + b, 0));
  });

  it("puts long names in a PAX record whose length counts itself", () => {
    expect(paxBody({ path: "a" }).toString()).toBe("9 path=a\n");
    const long = `${"d/".repeat(70)}file`;
    const header = entryHeader({ path: long, type: "file", mode: 0o644, uid: 0, gid: 0, size: 0, mtime: 1 });
    expect(header.length).toBe(512 * 3);
    expect(header.subarray(156, 157).toString()).toBe("x");
    const record = header.subarray(512, 1024).toString("utf8").replace(/\0+$/, "");
    expect(record).toBe(`${record.length} path=${long}\n`);
  });
});

describe("writeLayer", () => {
  it("writes a gzipped tar that GNU tar reads back, with digests of both forms", async () => {
    const root = mkdtempSync(join(tmpdir(), "kd-layer-"));
    mkdirSync(join(root, "etc/kolla"), { recursive: true });
    writeFileSync(join(root, "etc/kolla/a.conf"), "hello\n", { mode: 0o640 });
    linkSync(join(root, "etc/kolla/a.conf"), join(root, "etc/kolla/b.conf"));
    symlinkSync("a.conf", join(root, "etc/kolla/link"));
    const deep = join(root, "x".repeat(60), "y".repeat(60));
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, "long-name.txt"), "deep\n");
    mkdirSync(join(root, "dev"));
    writeFileSync(join(root, "dev", "not-in-layer"), "");
    const isRoot = process.getuid?.() === 0;
    if (isRoot) execFileSync("mknod", [join(root, "etc/kolla/gone"), "c", "0", "0"]);
    const out = join(root, "..", `${root.split("/").pop()}.tar.gz`);
    const layer = await writeLayer(root, out);

    const gz = readFileSync(out);
    expect(layer.size).toBe(gz.length);
    expect(layer.digest).toBe(`sha256:${createHash("sha256").update(gz).digest("hex")}`);
    expect(layer.diffId).toBe(`sha256:${createHash("sha256").update(gunzipSync(gz)).digest("hex")}`);

    const listing = execFileSync("tar", ["-tvzf", out, "--numeric-owner"], { encoding: "utf8" });
    expect(listing).toMatch(/^-rw-r----- 0\/0 +6 .* etc\/kolla\/a\.conf$/m);
    expect(listing).toMatch(/^hrw-r----- .* etc\/kolla\/b\.conf link to etc\/kolla\/a\.conf$/m);
    expect(listing).toMatch(/^lrwxrwxrwx .* etc\/kolla\/link -> a\.conf$/m);
    expect(listing).toContain(`${"x".repeat(60)}/${"y".repeat(60)}/long-name.txt`);
    expect(listing).toMatch(/ dev\/$/m);
    expect(listing).not.toContain("not-in-layer");
    if (isRoot) expect(listing).toMatch(/^-rw-r--r-- 0\/0 +0 .* etc\/kolla\/\.wh\.gone$/m);

    const again = await writeLayer(root, `${out}.2`);
    expect(again).toEqual(layer);
  });
});
