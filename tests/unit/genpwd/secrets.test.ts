import { createPrivateKey, createPublicKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  generateSshKeyPair,
  openSshPublicKey,
  randomBcryptSalt,
  randomFernetKey,
  randomHmacHex,
  randomPassword,
  randomUuid,
  rsaBits,
} from "../../../src/config/genpwd-secrets.js";
import { secretKindFor } from "../../../src/config/genpwd-kinds.js";

describe("genpwd secret generators", () => {
  it("passwords are 40 crypto-random alphanumerics and differ each time", () => {
    const values = Array.from({ length: 50 }, () => randomPassword(40));
    for (const v of values) expect(v).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(new Set(values).size).toBe(50);
  });

  it("uuid, hmac hex, fernet and bcrypt salt have kolla's shapes", () => {
    expect(randomUuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(randomHmacHex()).toMatch(/^[0-9a-f]{32}$/);
    const fernet = randomFernetKey();
    expect(fernet).toMatch(/^[A-Za-z0-9_-]{43}=$/);
    expect(Buffer.from(fernet, "base64url")).toHaveLength(32);
    for (let i = 0; i < 20; i++) expect(randomBcryptSalt()).toMatch(/^[./A-Za-z0-9]{21}[.Oeu]$/);
  });

  it("the OpenSSH public key matches the private key (wire format built by hand)", async () => {
    const pair = await generateSshKeyPair(1024);
    expect(pair.private_key).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
    const privateKey = createPrivateKey(pair.private_key);
    expect(privateKey.asymmetricKeyType).toBe("rsa");
    expect(pair.public_key).toMatch(/^ssh-rsa AAAAB3NzaC1yc2E[A-Za-z0-9+/]+=*$/);
    expect(pair.public_key).toBe(openSshPublicKey(createPublicKey(privateKey)));
    // Decode the blob: string "ssh-rsa", mpint e = 65537, mpint n with a leading zero byte (top bit set).
    const blob = Buffer.from(pair.public_key.split(" ")[1]!, "base64");
    expect(blob.readUInt32BE(0)).toBe(7);
    expect(blob.subarray(4, 11).toString()).toBe("ssh-rsa");
    expect(blob.readUInt32BE(11)).toBe(3);
    expect(blob.subarray(15, 18)).toEqual(Buffer.from([1, 0, 1]));
    expect(blob.readUInt32BE(18)).toBe(129);
    expect(blob[22]).toBe(0);
  });

  it("keeps 4096-bit keys unless the test-only override is set, and rejects bad overrides", async () => {
    expect(rsaBits({})).toBe(4096);
    expect(rsaBits({ KOLLA_DEPLOY_GENPWD_RSA_BITS: "2048" })).toBe(2048);
    expect(() => rsaBits({ KOLLA_DEPLOY_GENPWD_RSA_BITS: "512" })).toThrow(/not a usable RSA key size/);
    const pair = await generateSshKeyPair(rsaBits({}));
    expect(createPrivateKey(pair.private_key).asymmetricKeyDetails?.modulusLength).toBe(4096);
  }, 60_000);

  it("classifies keys as kolla's genpwd does", () => {
    expect(secretKindFor("haproxy_ssh_key")).toBe("ssh-key");
    expect(secretKindFor("gnocchi_user_id")).toBe("uuid");
    expect(secretKindFor("osprofiler_secret")).toBe("hmac-hex");
    expect(secretKindFor("barbican_crypto_key")).toBe("fernet");
    expect(secretKindFor("prometheus_bcrypt_salt")).toBe("bcrypt-salt");
    expect(secretKindFor("docker_registry_password")).toBe("blank");
    expect(secretKindFor("keystone_admin_password")).toBe("password");
  });
});
