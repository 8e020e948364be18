/**
 * The stand-in images parse config.json with busybox awk (json.awk, then records.awk).
 * These run the real scripts with the machine's busybox; no test bed needed.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const LIB = fileURLToPath(new URL("./rootfs/usr/local/lib/kolla-standin/", import.meta.url));
const BUSYBOX = ["/bin/busybox", "/usr/bin/busybox"].find((p) => existsSync(p));

function awk(script: string, input: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(BUSYBOX!, ["awk", "-f", `${LIB}${script}`], { input, encoding: "utf8" });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function records(json: string): { code: number; stdout: string; stderr: string } {
  const flat = awk("json.awk", json);
  if (flat.code !== 0) return flat;
  return awk("records.awk", flat.stdout);
}

describe.skipIf(BUSYBOX === undefined)("config.json parsing in the stand-in images", () => {
  it("flattens strings, escapes, numbers, booleans and null", () => {
    const r = awk("json.awk", '{"a": "x\\"y\\\\z\\/\\u00e9", "n": -1.5e3, "b": [true, null], "o": {}}');
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")).toEqual([
      "\to\t",
      'a\ts\tx"y\\z/é',
      "n\tn\t-1.5e3",
      "b\ta\t",
      "b.0\tb\ttrue",
      "b.1\tz\t",
      "o\to\t",
      "",
    ]);
  });

  it.each([
    ['{"a": [1,}', "unexpected character"],
    ['{"a": "unterminated', "control character in string"],
    ['{"a": "tab\\there"}', "not supported"],
    ['{"a": 1} extra', "after the document"],
    ['{"a": 01}', "bad number"],
  ])("refuses %s with exit 3", (json, message) => {
    const r = awk("json.awk", json);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(message);
  });

  it("turns kolla's config.json into records, in order", () => {
    const r = records(
      JSON.stringify({
        command: "nova-api --config-file /etc/nova/nova.conf",
        config_files: [
          { source: "/s/nova.conf", dest: "/etc/nova/nova.conf", owner: "nova", perm: "0600" },
          { source: "/s/extra/*", dest: "/etc/nova/", owner: "nova:kolla", perm: "0640", optional: true },
          { source: "/s/ssh", dest: "/var/lib/nova/.ssh", preserve_properties: true, merge: true },
        ],
        directories: [{ path: "/var/log/kolla/nova", owner: "nova:kolla", perm: "2775" }],
        files: [{ path: "/var/log/kolla/nova/nova.log", owner: "nova" }],
        permissions: [{ path: "/var/lib/nova", owner: "nova:nova", recurse: true }],
      }),
    );
    expect(r.stderr).toBe("");
    expect(r.stdout.split("\n")).toEqual([
      "command\tnova-api --config-file /etc/nova/nova.conf",
      "file\t/s/nova.conf\t/etc/nova/nova.conf\tnova\t0600\t0\t0\t0",
      "file\t/s/extra/*\t/etc/nova/\tnova:kolla\t0640\t1\t0\t0",
      "file\t/s/ssh\t/var/lib/nova/.ssh\t-\t-\t0\t1\t1",
      "dir\t/var/log/kolla/nova\tnova:kolla\t2775",
      "touch\t/var/log/kolla/nova/nova.log\tnova\t-",
      "perm\t/var/lib/nova\tnova:nova\t-\t1",
      "",
    ]);
  });

  it("reports every shape problem kolla's validation would, at once", () => {
    const r = records(
      JSON.stringify({
        config_files: [{ source: "/s/a" }, { source: "/s/b", dest: "/b", owner: "x", perm: "rw" }],
        permissions: {},
      }),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('"permissions" must be a list');
    expect(r.stderr).toContain('missing required "command"');
  });

  it("validates each entry, even when the command is missing too", () => {
    const r = records(
      JSON.stringify({
        config_files: [{ source: "/s/a" }, { source: "/s/b", dest: "/b" }, { source: "/s/c", dest: "/c", owner: "x", perm: "rw" }],
      }),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("config_files.0: Config is missing required keys");
    expect(r.stderr).toContain("config_files.1: Config needs preserve_properties or owner and perm");
    expect(r.stderr).toContain('config_files.2: perm "rw" is not an octal mode');
    expect(r.stderr).toContain('missing required "command"');
  });
});
