import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCatalog, selectImages } from "../../../src/image-build/catalog.js";
import { parseDefinition } from "../../../src/image-build/definition.js";
import type { BuildVars } from "../../../src/image-build/types.js";
import { DeployError, Diagnostics, ValidationFailed } from "../../../src/errors.js";
import { REPO_ROOT } from "../../helpers/cli.js";

const VARS: BuildVars = { base_distro: "debian", base_distro_release: "bookworm", debian_mirror: "http://deb.debian.org/debian", debian_security_mirror: "http://deb.debian.org/debian-security", tag: "t", namespace: "kolla" };

function parse(text: string) {
  const diags = new Diagnostics();
  const definition = parseDefinition("svc", "etc/images/svc/image.yml", "/nowhere", text, diags);
  return { definition, lines: diags.errors.map((e) => e.oneLine()) };
}

function catalogDir(images: Record<string, string>, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "kd-images-"));
  for (const [name, text] of Object.entries(images)) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, "image.yml"), text);
  }
  for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text);
  return dir;
}

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationFailed) return error.errors.map((e) => e.oneLine());
    if (error instanceof DeployError) return [error.oneLine()];
    throw error;
  }
  return [];
}

describe("image.yml parsing", () => {
  it("reads every field", () => {
    const { definition, lines } = parse(`parent: base
users: [memcached]
packages: [memcached, "libevent-2.1-7"]
files:
  - {source: files/hook, dest: /usr/local/bin/hook, mode: "0755", owner: "memcached:kolla", template: true}
run:
  - [sh, -c, "echo hi"]
env: {KOLLA_SERVICE_NAME: memcached, N: 1}
labels: {a: b}
user: memcached
workdir: /var/lib
entrypoint: [dumb-init, --]
cmd: [kolla_start]
`);
    expect(lines).toEqual([]);
    expect(definition).toMatchObject({
      parent: "base",
      packages: ["memcached", "libevent-2.1-7"],
      files: [{ source: "files/hook", dest: "/usr/local/bin/hook", mode: 0o755, owner: "memcached:kolla", template: true }],
      run: [["sh", "-c", "echo hi"]],
      env: { KOLLA_SERVICE_NAME: "memcached", N: "1" },
      user: "memcached",
      workdir: "/var/lib",
      entrypoint: ["dumb-init", "--"],
      cmd: ["kolla_start"],
    });
  });

  it("reports every problem at once with file:line and key", () => {
    const { definition, lines } = parse(`parent: base
packages: [Memcached!, ok]
files:
  - {source: ../escape, dest: relative/path, mode: "999"}
run:
  - []
colour: blue
`);
    expect(definition).toBeUndefined();
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^etc\/images\/svc\/image\.yml:2: packages: "Memcached!" is not a Debian package name \[E_IMAGE_DEFINITION\]/),
        expect.stringMatching(/^etc\/images\/svc\/image\.yml:4: files\[0\]\.source: "\.\.\/escape" must be a path inside/),
        expect.stringMatching(/^etc\/images\/svc\/image\.yml:4: files\[0\]\.dest: "relative\/path" is not an absolute path/),
        expect.stringMatching(/^etc\/images\/svc\/image\.yml:4: files\[0\]\.mode: "999" is not an octal mode/),
        expect.stringMatching(/^etc\/images\/svc\/image\.yml:6: run\[0\]: an empty command/),
        expect.stringMatching(/^etc\/images\/svc\/image\.yml:7: colour: unknown key/),
      ]),
    );
    expect(lines).toHaveLength(6);
  });

  it("needs exactly one of parent and bootstrap", () => {
    expect(parse("packages: [x1]\n").lines).toEqual([expect.stringContaining("exactly one of parent: or bootstrap:")]);
    expect(parse("parent: a\nbootstrap: {suite: bookworm, mirror: 'http://m/debian'}\n").lines).toHaveLength(1);
    expect(parse("bootstrap: {suite: bookworm, mirror: 'ftp://m'}\n").lines).toEqual([expect.stringContaining("bootstrap.mirror")]);
  });

  it("reports YAML syntax errors with their line", () => {
    expect(parse("parent: base\npackages: [a\n").lines[0]).toMatch(/image\.yml:\d: invalid YAML/);
  });
});

describe("the catalog", () => {
  it("cross-checks parents, cycles, users and file sources, all at once", () => {
    const dir = catalogDir({
      a: "parent: b\n",
      b: "parent: a\n",
      c: "parent: nothere\nusers: [nobody-known]\nfiles:\n  - {source: missing.txt, dest: /x}\n",
    });
    const lines = problems(() => loadCatalog(dir, VARS, dir));
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^a\/image\.yml: parent: parent chain loops: a → b → a/),
        expect.stringMatching(/^c\/image\.yml: parent: no image named "nothere"/),
        expect.stringMatching(/^c\/image\.yml: users\[0\]: "nobody-known" is not a kolla user/),
        expect.stringMatching(/^c\/image\.yml: files\[0\]\.source: missing\.txt does not exist/),
      ]),
    );
  });

  it("renders image.yml with the build variables and reports unknown ones", () => {
    const dir = catalogDir({ root: "bootstrap:\n  suite: '{{base_distro_release}}'\n  mirror: '{{debian_mirror}}'\n", bad: "parent: '{{no_such_var}}'\n" });
    expect(problems(() => loadCatalog(dir, VARS, dir))).toEqual([expect.stringMatching(/^bad\/image\.yml:1.*no_such_var/)]);
  });

  it("orders images after their parents and refuses unknown names", () => {
    const dir = catalogDir({ root: "bootstrap: {suite: s, mirror: 'http://m'}\n", mid: "parent: root\n", leaf: "parent: mid\n", other: "parent: root\n" });
    const catalog = loadCatalog(dir, VARS, dir);
    expect(selectImages(catalog, ["leaf"]).map((d) => d.name)).toEqual(["root", "mid", "leaf"]);
    expect(selectImages(catalog, ["other", "leaf"]).map((d) => d.name)).toEqual(["root", "other", "mid", "leaf"]);
    expect(selectImages(catalog, []).map((d) => d.name)).toEqual(["root", "mid", "leaf", "other"]);
    expect(() => selectImages(catalog, ["nope"])).toThrow(/no image definition for nope/);
  });

  it("loads the shipped definitions without a problem", () => {
    const catalog = loadCatalog(join(REPO_ROOT, "etc", "images"), VARS);
    for (const name of ["base", "openstack-base", "memcached", "mariadb-server", "rabbitmq", "keystone", "keystone-fernet", "keystone-ssh", "glance-api", "placement-api", "kolla-toolbox", "haproxy", "keepalived", "cron"]) {
      expect(catalog.has(name), name).toBe(true);
    }
    expect(catalog.get("base")!.bootstrap).toEqual({ suite: "bookworm", variant: "minbase", mirror: "http://deb.debian.org/debian", include: [] });
  });
});
