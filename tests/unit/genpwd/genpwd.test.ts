import { spawnSync } from "node:child_process";
import { createPrivateKey, createPublicKey } from "node:crypto";
import { chmodSync, lstatSync, mkdtempSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, parseDocument } from "yaml";
import { generatePasswords } from "../../../src/config/genpwd.js";
import { generateSshKeyPair, openSshPublicKey, type SshKeyPair } from "../../../src/config/genpwd-secrets.js";
import { secretKindFor } from "../../../src/config/genpwd-kinds.js";
import { REPO_ROOT } from "../../helpers/cli.js";

const SHIPPED = readFileSync(join(REPO_ROOT, "etc", "kolla", "passwords.yml"), "utf8");

// Small real keys keep the suite fast; pairs are reused, each test still parses what it gets.
let keyPool: SshKeyPair[] = [];
const smallKeys = () => Promise.resolve(keyPool[Math.floor(Math.random() * keyPool.length)]!);
beforeAll(async () => {
  keyPool = await Promise.all([1, 2, 3].map(() => generateSshKeyPair(1024)));
});

function tempFile(text: string, mode = 0o644): string {
  const file = join(mkdtempSync(join(tmpdir(), "genpwd-")), "passwords.yml");
  writeFileSync(file, text, { mode });
  chmodSync(file, mode);
  return file;
}

const KIND_PATTERNS: Record<string, RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  "hmac-hex": /^[0-9a-f]{32}$/,
  fernet: /^[A-Za-z0-9_-]{43}=$/,
  "bcrypt-salt": /^[./A-Za-z0-9]{21}[.Oeu]$/,
  password: /^[A-Za-z0-9]{40}$/,
};

function expectSshKeyPair(value: unknown): void {
  const pair = value as SshKeyPair;
  const privateKey = createPrivateKey(pair.private_key);
  expect(privateKey.asymmetricKeyType).toBe("rsa");
  expect(pair.public_key).toBe(openSshPublicKey(createPublicKey(privateKey)));
}

function commentLines(text: string): string[] {
  return text.split("\n").filter((line) => line.trimStart().startsWith("#"));
}

describe("generatePasswords() over the shipped passwords.yml", () => {
  it("ships about 120 keys, all empty", () => {
    const data = parse(SHIPPED) as Record<string, unknown>;
    expect(Object.keys(data).length).toBeGreaterThanOrEqual(115);
    for (const [key, value] of Object.entries(data)) {
      if (secretKindFor(key) === "ssh-key") expect(value).toEqual({ private_key: null, public_key: null });
      else expect(value, key).toBeNull();
    }
  });

  it("fills every key with the right kind of secret, and only docker_registry_password stays blank", async () => {
    const file = tempFile(SHIPPED);
    const result = await generatePasswords(file, { makeKeyPair: smallKeys });
    const data = parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    const expectedBlank = ["docker_registry_password", "ceph_backend_secrets"];
    expect(result.filled.sort()).toEqual(Object.keys(data).filter((k) => !expectedBlank.includes(k)).sort());
    for (const [key, value] of Object.entries(data)) {
      const kind = secretKindFor(key);
      if (expectedBlank.includes(key)) expect(value, key).toBeNull();
      else if (kind === "ssh-key") expectSshKeyPair(value);
      else expect(value, key).toMatch(KIND_PATTERNS[kind]!);
    }
  });

  it("keeps comments, key order and layout; only the filled lines change", async () => {
    const file = tempFile(SHIPPED);
    await generatePasswords(file, { makeKeyPair: smallKeys });
    const out = readFileSync(file, "utf8");
    expect(commentLines(out)).toEqual(commentLines(SHIPPED));
    expect(Object.keys(parse(out) as object)).toEqual(Object.keys(parse(SHIPPED) as object));
    // Line by line: every shipped line is still there, either unchanged or as `key: <value>`.
    const outLines = out.split("\n");
    let cursor = 0;
    for (const line of SHIPPED.split("\n")) {
      while (cursor < outLines.length && !(outLines[cursor] === line || outLines[cursor]!.startsWith(`${line} `))) cursor++;
      expect(cursor, `line "${line}" kept in order`).toBeLessThan(outLines.length);
      cursor++;
    }
  });

  it("a second run changes nothing (byte-identical) and reports nothing filled", async () => {
    const file = tempFile(SHIPPED);
    await generatePasswords(file, { makeKeyPair: smallKeys });
    const first = readFileSync(file);
    const again = await generatePasswords(file, { makeKeyPair: smallKeys });
    expect(again.filled).toEqual([]);
    expect(readFileSync(file).equals(first)).toBe(true);
  });

  it("writes with mode 0600 whatever the old mode was", async () => {
    const file = tempFile(SHIPPED, 0o644);
    await generatePasswords(file, { makeKeyPair: smallKeys });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("produces keys OpenSSH itself accepts", async () => {
    const file = tempFile("kolla_ssh_key:\n  private_key:\n  public_key:\n");
    await generatePasswords(file, { makeKeyPair: () => generateSshKeyPair(1024) });
    const pair = (parse(readFileSync(file, "utf8")) as Record<string, SshKeyPair>).kolla_ssh_key!;
    const keyFile = tempFile(pair.private_key, 0o600);
    const derived = spawnSync("ssh-keygen", ["-y", "-f", keyFile], { encoding: "utf8" });
    expect(derived.status, derived.stderr).toBe(0);
    expect(derived.stdout.trim()).toBe(pair.public_key);
  });
});

describe("generatePasswords() keeps what the operator set", () => {
  const OPERATOR = [
    "---",
    "# my passwords",
    'database_password: "mine # not a comment"',
    "rbd_secret_uuid: not-a-uuid   # wrong kind, still mine",
    'keystone_admin_password: ""',
    "nova_database_password: ~  # fill me",
    "glance_database_password: null",
    "heat_database_password: 12345",
    "kolla_ssh_key:",
    "  private_key: my-private",
    "  public_key:",
    "nova_ssh_key: not-a-mapping",
    "keystone_ssh_key: # generated below",
    "ceph_backend_secrets:",
    "  fast:",
    "  slow:",
    "    uuid: 11111111-2222-4333-8444-555555555555",
    "    secret:",
    "designate_rndc_key:",
  ].join("\n");

  it("fills only null values and reports their names", async () => {
    const file = tempFile(OPERATOR);
    const { filled } = await generatePasswords(file, { makeKeyPair: smallKeys });
    expect(filled).toEqual([
      "nova_database_password",
      "glance_database_password",
      "keystone_ssh_key",
      "ceph_backend_secrets.fast",
      "ceph_backend_secrets.slow.secret",
      "designate_rndc_key",
    ]);
    const out = readFileSync(file, "utf8");
    const data = parse(out) as Record<string, unknown>;
    expect(data.database_password).toBe("mine # not a comment");
    expect(data.rbd_secret_uuid).toBe("not-a-uuid");
    expect(data.keystone_admin_password).toBe("");
    expect(data.heat_database_password).toBe(12345);
    expect(data.kolla_ssh_key).toEqual({ private_key: "my-private", public_key: null });
    expect(data.nova_ssh_key).toBe("not-a-mapping");
    expectSshKeyPair(data.keystone_ssh_key);
    const ceph = data.ceph_backend_secrets as Record<string, { uuid: string; secret: string }>;
    expect(ceph.fast!.uuid).toMatch(KIND_PATTERNS.uuid!);
    expect(ceph.fast!.secret).toMatch(KIND_PATTERNS.password!);
    expect(ceph.slow).toEqual({ uuid: "11111111-2222-4333-8444-555555555555", secret: expect.stringMatching(KIND_PATTERNS.password!) });
    expect(data.designate_rndc_key).toMatch(KIND_PATTERNS["hmac-hex"]!);
    expect(out).toContain("rbd_secret_uuid: not-a-uuid   # wrong kind, still mine\n");
    expect(out).toMatch(/\nnova_database_password: [A-Za-z0-9]{40}  # fill me\n/);
    expect(out).toContain("keystone_ssh_key: # generated below\n  private_key: |\n    -----BEGIN PRIVATE KEY-----\n");
    expect(commentLines(out)).toEqual(commentLines(OPERATOR));
  });

  it("writes through a symlink to the real file", async () => {
    const target = tempFile("a:\n");
    const link = join(mkdtempSync(join(tmpdir(), "genpwd-link-")), "passwords.yml");
    symlinkSync(target, link);
    const result = await generatePasswords(link, { makeKeyPair: smallKeys });
    expect(result.file).toBe(target);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(parseDocument(readFileSync(target, "utf8")).get("a")).toMatch(KIND_PATTERNS.password!);
  });

  it("handles CRLF files and a last line without a newline", async () => {
    const file = tempFile("# c\r\na:\r\nnova_ssh_key:");
    await generatePasswords(file, { makeKeyPair: smallKeys });
    const out = readFileSync(file, "utf8");
    expect(out.startsWith("# c\r\na: ")).toBe(true);
    expectSshKeyPair((parse(out) as Record<string, unknown>).nova_ssh_key);
  });
});
