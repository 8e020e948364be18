/**
 * Generators for each kind of secret. All randomness comes from node:crypto; nothing here is
 * logged or returned anywhere but into the passwords document.
 */
import { generateKeyPair, randomBytes, randomInt, randomUUID, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import { DeployError } from "../errors.js";

const generateKeyPairAsync = promisify(generateKeyPair);

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** Uniformly random letters and digits (randomInt avoids modulo bias). */
export function randomPassword(length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}

export function randomUuid(): string {
  return randomUUID();
}

/** 32 lowercase hex digits: the shape of kolla's HMAC-MD5 keys (designate rndc, osprofiler). */
export function randomHmacHex(): string {
  return randomBytes(16).toString("hex");
}

/** A Fernet key: 32 random bytes, URL-safe base64 with padding (44 characters). */
export function randomFernetKey(): string {
  return randomBytes(32).toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
}

const BCRYPT_ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/**
 * A 22-character bcrypt salt: 16 random bytes in bcrypt's base64 alphabet. Encoding real bytes
 * (rather than picking 22 characters) keeps the last character canonical, so bcrypt libraries
 * use the salt as written.
 */
export function randomBcryptSalt(): string {
  const bytes = randomBytes(16);
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const chunk = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 3 <= bytes.length ? 4 : bytes.length - i + 1;
    for (let c = 0; c < chars; c++) out += BCRYPT_ALPHABET[(chunk >> (18 - 6 * c)) & 63];
  }
  return out;
}

/** SSH wire-format string: uint32 length, then the bytes. */
function sshString(data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, data]);
}

/** SSH mpint from unsigned big-endian bytes: no leading zeros, one zero byte if the top bit is set. */
function sshMpint(unsigned: Buffer): Buffer {
  let start = 0;
  while (start < unsigned.length - 1 && unsigned[start] === 0) start++;
  const trimmed = unsigned.subarray(start);
  const needsPad = (trimmed[0] ?? 0) & 0x80;
  return sshString(needsPad ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

/** An RSA public key in OpenSSH's one-line form: `ssh-rsa <base64 of type, e, n>` (RFC 4253 §6.6). */
export function openSshPublicKey(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: "jwk" });
  if (jwk.kty !== "RSA" || jwk.n === undefined || jwk.e === undefined) {
    throw new DeployError("E_GENPWD_KEY", "generated key is not an RSA key", "this is a bug in kolla-deploy");
  }
  const blob = Buffer.concat([
    sshString(Buffer.from("ssh-rsa")),
    sshMpint(Buffer.from(jwk.e, "base64url")),
    sshMpint(Buffer.from(jwk.n, "base64url")),
  ]);
  return `ssh-rsa ${blob.toString("base64")}`;
}

export interface SshKeyPair {
  /** PKCS#8 PEM, as kolla writes it. */
  private_key: string;
  public_key: string;
}

/** RSA bit size: 4096 as kolla; tests may lower it with KOLLA_DEPLOY_GENPWD_RSA_BITS (>= 1024). */
export function rsaBits(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.KOLLA_DEPLOY_GENPWD_RSA_BITS;
  if (raw === undefined || raw === "") return 4096;
  const bits = Number(raw);
  if (!Number.isInteger(bits) || bits < 1024 || bits % 8 !== 0) {
    throw new DeployError("E_GENPWD_RSA_BITS", `KOLLA_DEPLOY_GENPWD_RSA_BITS=${raw} is not a usable RSA key size`, "unset it (4096) or use a multiple of 8 >= 1024");
  }
  return bits;
}

/** Generates an RSA key pair off the main thread (several run in parallel on libuv's pool). */
export async function generateSshKeyPair(bits: number): Promise<SshKeyPair> {
  const { publicKey, privateKey } = await generateKeyPairAsync("rsa", { modulusLength: bits, publicExponent: 0x10001 });
  return {
    private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    public_key: openSshPublicKey(publicKey),
  };
}
