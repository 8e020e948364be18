/**
 * The save and restore scripts, run for real with sh on temporary directories (the paths they
 * are given on a host are swapped for temporary ones; the scripts are the same).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { restoreConfigCommand, saveConfigCommand } from "../../../src/upgrade/host-commands.js";

function runScript(argv: readonly string[], args: readonly string[]): number {
  const [sh, flag, script, name] = argv;
  return spawnSync(sh!, [flag!, script!, name!, ...args], { encoding: "utf8" }).status ?? -1;
}

function configDir(root: string, files: Record<string, string>): string {
  const dir = join(root, "etc-kolla-keystone");
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

describe("saving and restoring a config directory", () => {
  it("builds one command per host, paths as arguments", () => {
    const save = saveConfigCommand([{ container: "keystone", configDir: "/etc/kolla/keystone" }, { container: "keystone_ssh", configDir: "/etc/kolla/keystone-ssh" }]);
    expect(save.argv.slice(3)).toEqual(["kolla-deploy-save", "/var/lib/kolla-deploy/previous",
      "/etc/kolla/keystone", "/var/lib/kolla-deploy/previous/keystone", "/etc/kolla/keystone-ssh", "/var/lib/kolla-deploy/previous/keystone_ssh"]);
    expect(save.become).toBe(true);
    const restore = restoreConfigCommand([{ container: "keystone", configDir: "/etc/kolla/keystone" }]);
    expect(restore.argv.slice(3)).toEqual(["kolla-deploy-restore", "/var/lib/kolla-deploy/previous/keystone", "/etc/kolla/keystone"]);
  });

  it("save copies the directory with modes into a root-only tree, replacing an earlier save", () => {
    const root = mkdtempSync(join(tmpdir(), "kd-save-"));
    const dir = configDir(root, { "keystone.conf": "v1", "config.json": "{}" });
    chmodSync(join(dir, "config.json"), 0o600);
    const previous = join(root, "previous");
    const saved = join(previous, "keystone");
    const argv = saveConfigCommand([{ container: "keystone", configDir: dir }]).argv;
    expect(runScript(argv, [previous, dir, saved])).toBe(0);
    expect(statSync(previous).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(saved, "keystone.conf"), "utf8")).toBe("v1");
    expect(statSync(join(saved, "config.json")).mode & 0o777).toBe(0o600);
    writeFileSync(join(dir, "keystone.conf"), "v2");
    expect(runScript(argv, [previous, dir, saved])).toBe(0);
    expect(readFileSync(join(saved, "keystone.conf"), "utf8")).toBe("v2");
    expect(readdirSync(previous)).toEqual(["keystone"]);
  });

  it("save of a missing config directory saves an empty one", () => {
    const root = mkdtempSync(join(tmpdir(), "kd-save-"));
    const saved = join(root, "previous", "x");
    expect(runScript(saveConfigCommand([]).argv, [join(root, "previous"), join(root, "nope"), saved])).toBe(0);
    expect(readdirSync(saved)).toEqual([]);
  });

  it("restore puts back exactly the saved files, in the same directory", () => {
    const root = mkdtempSync(join(tmpdir(), "kd-restore-"));
    const saved = configDir(join(root, "saved"), { "keystone.conf": "old", "config.json": "{}" });
    const dir = configDir(root, { "keystone.conf": "new", "extra.conf": "added by the upgrade" });
    const inode = statSync(dir).ino;
    expect(runScript(restoreConfigCommand([]).argv, [saved, dir])).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(["config.json", "keystone.conf"]);
    expect(readFileSync(join(dir, "keystone.conf"), "utf8")).toBe("old");
    expect(statSync(dir).ino).toBe(inode);
  });

  it("restore fails, and touches nothing, when nothing was saved", () => {
    const root = mkdtempSync(join(tmpdir(), "kd-restore-"));
    const dir = configDir(root, { "keystone.conf": "new" });
    expect(runScript(restoreConfigCommand([]).argv, [join(root, "missing"), dir])).toBe(3);
    expect(existsSync(join(dir, "keystone.conf"))).toBe(true);
  });
});
