import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LocalTransport } from "../../../src/exec/local.js";
import { putFilesCommand, uploadProblem } from "../../../src/exec/put.js";
import { tarHeader, writeTar } from "../../../src/exec/tar.js";

const local = (): LocalTransport =>
  new LocalTransport("localhost", { become: false, becomeUser: "root", maxProcesses: 4, commandTimeoutMs: 30_000 });

describe("writeTar()", () => {
  it("writes ustar headers with valid checksums and pads to 512-byte blocks", () => {
    const header = tarHeader("f0", 5);
    expect(header.subarray(257, 263).toString("latin1")).toBe("ustar\0");
    const stored = parseInt(header.subarray(148, 154).toString("latin1"), 8);
    const copy = Buffer.from(header);
    copy.fill(0x20, 148, 156);
    expect(stored).toBe(copy.reduce((a, b) => a + b, 0));
    expect(writeTar([{ name: "a", data: Buffer.from("hello") }]).length).toBe(512 + 512 + 1024);
  });

  it("is read back byte for byte by the system tar", () => {
    const dir = mkdtempSync(join(tmpdir(), "kd-tar-"));
    const big = Buffer.alloc(70_000, 7);
    const tar = writeTar([
      { name: "0", data: Buffer.from("α\n") },
      { name: "1", data: big },
      { name: "2", data: Buffer.alloc(0) },
    ]);
    execFileSync("tar", ["-x", "-o", "-f", "-", "-C", dir], { input: tar });
    expect(readFileSync(join(dir, "0"), "utf8")).toBe("α\n");
    expect(readFileSync(join(dir, "1")).equals(big)).toBe(true);
    expect(readFileSync(join(dir, "2")).length).toBe(0);
  });

  it("refuses names that do not fit", () => {
    expect(() => tarHeader("x".repeat(101), 1)).toThrow();
  });
});

describe("putFilesCommand()", () => {
  it("is one command carrying every file in its stdin", () => {
    const cmd = putFilesCommand([
      { path: "/a", content: "1", mode: 0o644 },
      { path: "/b c", content: "2", mode: 0o600, owner: "root", group: "root" },
    ], { become: true });
    expect(cmd.argv.slice(0, 2)).toEqual(["sh", "-c"]);
    expect(cmd.argv.slice(3)).toEqual(["kolla-deploy-put", "/a", "0644", "", "", "/b c", "0600", "root", "root"]);
    expect(cmd.become).toBe(true);
    expect(Buffer.isBuffer(cmd.stdin)).toBe(true);
  });

  it("refuses relative paths, newlines, bad modes and odd owners", () => {
    expect(uploadProblem({ path: "rel", content: "", mode: 0o644 })).toMatch(/absolute/);
    expect(uploadProblem({ path: "/a\nb", content: "", mode: 0o644 })).toMatch(/newline/);
    expect(uploadProblem({ path: "/a/../b", content: "", mode: 0o644 })).toMatch(/name a file/);
    expect(uploadProblem({ path: "/a", content: "", mode: 0o10000 })).toMatch(/mode/);
    expect(uploadProblem({ path: "/a", content: "", mode: 0o644, owner: "x;y" })).toMatch(/owner/);
    expect(() => putFilesCommand([{ path: "rel", content: "", mode: 0o644 }])).toThrow(/absolute/);
  });
});

describe("the put script (run locally)", () => {
  it("writes files with content and mode, creating parents, replacing old content", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kd-put-"));
    writeFileSync(join(dir, "old"), "old content");
    const me = userInfo().username;
    await local().putFiles([
      { path: join(dir, "old"), content: "new content", mode: 0o640, owner: me },
      { path: join(dir, "deep/er/it's here"), content: Buffer.from([0, 1, 2, 255]), mode: 0o600 },
    ]);
    expect(readFileSync(join(dir, "old"), "utf8")).toBe("new content");
    expect(statSync(join(dir, "old")).mode & 0o7777).toBe(0o640);
    expect([...readFileSync(join(dir, "deep/er/it's here"))]).toEqual([0, 1, 2, 255]);
    expect(statSync(join(dir, "deep/er")).mode & 0o777).toBe(0o755);
    expect(readdirSync(dir).sort()).toEqual(["deep", "old"]);
  });

  it("changes nothing when the stream is cut short, and leaves no temp file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kd-put-"));
    writeFileSync(join(dir, "a"), "keep");
    const cmd = putFilesCommand([
      { path: join(dir, "a"), content: "replaced", mode: 0o644 },
      { path: join(dir, "b"), content: Buffer.alloc(100_000, 1), mode: 0o644 },
    ]);
    const truncated = (cmd.stdin as Buffer).subarray(0, 2048);
    const result = await local().run({ ...cmd, stdin: truncated });
    expect(result.code).not.toBe(0);
    expect(readFileSync(join(dir, "a"), "utf8")).toBe("keep");
    expect(existsSync(join(dir, "b"))).toBe(false);
    expect(readdirSync(dir)).toEqual(["a"]);
  });

  it("fails with E_COMMAND_FAILED, placing nothing, when one destination cannot be written", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kd-put-"));
    mkdirSync(join(dir, "isdir"));
    const attempt = local().putFiles([
      { path: join(dir, "first"), content: "x", mode: 0o644 },
      { path: join(dir, "isdir"), content: "x", mode: 0o644 },
    ]);
    await expect(attempt).rejects.toMatchObject({ code: "E_COMMAND_FAILED", message: expect.stringMatching(/is a directory/) });
    expect(readdirSync(dir)).toEqual(["isdir"]);
  });

  it("reports a missing owner without leaving a temp file", async () => {
    if (userInfo().uid !== 0) return; // chown to another user needs root
    const dir = mkdtempSync(join(tmpdir(), "kd-put-"));
    chmodSync(dir, 0o755);
    const attempt = local().putFiles([{ path: join(dir, "f"), content: "x", mode: 0o644, owner: "no-such-user-kd" }]);
    await expect(attempt).rejects.toMatchObject({ code: "E_COMMAND_FAILED" });
    expect(readdirSync(dir)).toEqual([]);
  });
});
