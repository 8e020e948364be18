import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { appendKnownHost } from "../../../src/exec/known-hosts-file.js";
import {
  entryMatchesHost,
  fingerprintSha256,
  keyTypeOfBlob,
  knownHostsLine,
  knownHostsName,
  parseKnownHosts,
  verifyHostKey,
} from "../../../src/exec/known-hosts.js";

/** A fake ssh-ed25519 public key blob: string type, string key. */
function blob(seed: number): Buffer {
  const type = Buffer.from("ssh-ed25519");
  const key = Buffer.alloc(32, seed);
  const b = Buffer.alloc(8 + type.length + key.length);
  b.writeUInt32BE(type.length, 0);
  type.copy(b, 4);
  b.writeUInt32BE(key.length, 4 + type.length);
  key.copy(b, 8 + type.length);
  return b;
}

function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString("base64")}|${createHmac("sha1", salt).update(name).digest("base64")}`;
}

const K1 = blob(1);
const K2 = blob(2);

describe("known_hosts matching", () => {
  it("uses [host]:port for non-default ports", () => {
    expect(knownHostsName("10.0.0.1", 22)).toBe("10.0.0.1");
    expect(knownHostsName("10.0.0.1", 2222)).toBe("[10.0.0.1]:2222");
  });

  it("matches comma lists, wildcards, negation and hashed names", () => {
    expect(entryMatchesHost("node1,198.18.0.11", "198.18.0.11")).toBe(true);
    expect(entryMatchesHost("198.18.*,!198.18.0.99", "198.18.0.99")).toBe(false);
    expect(entryMatchesHost("[10.0.0.1]:2222", "[10.0.0.1]:2222")).toBe(true);
    expect(entryMatchesHost("[10.0.0.1]:2222", "10.0.0.1")).toBe(false);
    expect(entryMatchesHost(hashed("10.0.0.5"), "10.0.0.5")).toBe(true);
    expect(entryMatchesHost(hashed("10.0.0.5"), "10.0.0.6")).toBe(false);
  });
});

describe("verifyHostKey()", () => {
  const text = [
    "# comment",
    `node1,10.0.0.1 ssh-ed25519 ${K1.toString("base64")}`,
    `${hashed("[10.0.0.2]:2200")} ssh-ed25519 ${K1.toString("base64")} comment`,
    `@revoked * ssh-ed25519 ${blob(9).toString("base64")}`,
    `@cert-authority *.example ssh-ed25519 ${K2.toString("base64")}`,
    "garbage",
  ].join("\n");
  const entries = parseKnownHosts(text, "/kh");

  it("accepts the recorded key, plain or hashed", () => {
    expect(verifyHostKey(entries, "10.0.0.1", K1)).toMatchObject({ kind: "known", entry: { file: "/kh", line: 2 } });
    expect(verifyHostKey(entries, "[10.0.0.2]:2200", K1).kind).toBe("known");
  });

  it("reports a different key for a known host as changed, naming the lines", () => {
    expect(verifyHostKey(entries, "10.0.0.1", K2)).toMatchObject({ kind: "changed", entries: [{ line: 2 }] });
  });

  it("reports an unknown host, ignoring @cert-authority lines", () => {
    expect(verifyHostKey(entries, "10.0.0.3", K1).kind).toBe("unknown");
    expect(verifyHostKey(entries, "a.example", K2).kind).toBe("unknown");
  });

  it("refuses a @revoked key whatever the host", () => {
    expect(verifyHostKey(entries, "10.0.0.1", blob(9))).toMatchObject({ kind: "revoked", entry: { line: 4 } });
  });
});

describe("key helpers", () => {
  it("reads the key type from the blob and prints a SHA256 fingerprint without padding", () => {
    expect(keyTypeOfBlob(K1)).toBe("ssh-ed25519");
    expect(fingerprintSha256(K1)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(knownHostsLine("[h]:2", K1)).toBe(`[h]:2 ssh-ed25519 ${K1.toString("base64")}\n`);
  });

  it("appends atomically and keeps concurrent appends", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kd-kh-"));
    const file = join(dir, "known_hosts");
    writeFileSync(file, "old ssh-ed25519 AAAA"); // no trailing newline
    await Promise.all([appendKnownHost(file, "a x y\n"), appendKnownHost(file, "b x y\n"), appendKnownHost(file, "c x y\n")]);
    expect(readFileSync(file, "utf8")).toBe("old ssh-ed25519 AAAA\na x y\nb x y\nc x y\n");
    await appendKnownHost(join(dir, "sub", "new"), "d x y\n");
    expect(readFileSync(join(dir, "sub", "new"), "utf8")).toBe("d x y\n");
  });
});
