import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO_ROOT, runCli } from "../../helpers/cli.js";

const SMALL_KEYS = { KOLLA_DEPLOY_GENPWD_RSA_BITS: "1024" };

function configDir(passwords?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "genpwd-cli-"));
  if (passwords !== undefined) writeFileSync(join(dir, "passwords.yml"), passwords);
  return dir;
}

describe("kolla-deploy genpwd", () => {
  it("fills <configdir>/passwords.yml, prints a summary without values, and --json lists the keys", () => {
    const dir = configDir(readFileSync(join(REPO_ROOT, "etc", "kolla", "passwords.yml"), "utf8"));
    const first = runCli(["genpwd", "--configdir", dir], { env: SMALL_KEYS });
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^genpwd: filled 1\d\d empty values in .*passwords\.yml\n$/);
    const file = join(dir, "passwords.yml");
    const data = parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    expect(first.stdout).not.toContain(String(data.database_password));
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const second = runCli(["genpwd", "-p", file, "--json"], { env: SMALL_KEYS });
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual({ filled: [] });
  });

  it("uses $KOLLA_CONFIG_PATH and --json names what it filled", () => {
    const dir = configDir("a:\nb: set\nc:\n");
    const result = runCli(["genpwd", "--json"], { env: { ...SMALL_KEYS, KOLLA_CONFIG_PATH: dir } });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ filled: ["a", "c"] });
  });

  it("a missing file is a one-line error with a hint", () => {
    const dir = configDir();
    const result = runCli(["genpwd", "--configdir", dir]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/^error: .*passwords\.yml: passwords file not found \[E_GENPWD_MISSING\] \(hint: .+\)\n$/);
  });

  it("a YAML syntax error names file:line without echoing the secret on that line", () => {
    const dir = configDir("database_password: fine\nkeystone_admin_password: \"s3cr3tValue\n  broken: [\n");
    const result = runCli(["genpwd", "--configdir", dir]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/^error: .*passwords\.yml:\d+: YAML syntax error \(.+\) \[E_GENPWD_YAML\] \(hint: .+\)\n$/);
    expect(result.stderr).not.toContain("s3cr3tValue");
    expect(readFileSync(join(dir, "passwords.yml"), "utf8")).toContain("s3cr3tValue");
  });

  it("rejects a top level that is not a mapping, and an empty file", () => {
    const list = runCli(["genpwd", "--configdir", configDir("- a\n- b\n")]);
    expect(list.code).not.toBe(0);
    expect(list.stderr).toMatch(/passwords\.yml: top level is not a mapping.*\[E_GENPWD_NOT_MAPPING\] \(hint: /);
    const empty = runCli(["genpwd", "--configdir", configDir("# nothing\n")]);
    expect(empty.stderr).toMatch(/top level is empty.*\[E_GENPWD_NOT_MAPPING\]/);
    expect(empty.stderr.split("\n").filter((l) => l !== "")).toHaveLength(1);
  });
});
