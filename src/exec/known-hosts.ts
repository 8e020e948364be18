/**
 * known_hosts, pure: parse lines (plain, hashed `|1|salt|hash`, `[host]:port`, comma lists,
 * negation, wildcards, @revoked / @cert-authority markers) and judge a presented host key.
 */
import { createHash, createHmac } from "node:crypto";
import { globMatch } from "./ssh-config.js";

export interface KnownHostEntry {
  readonly marker: "revoked" | "cert-authority" | undefined;
  readonly hostPatterns: string;
  readonly keyType: string;
  /** base64 of the key blob, exactly as a server presents it. */
  readonly keyBase64: string;
  readonly file: string;
  readonly line: number;
}

export type HostKeyVerdict =
  | { kind: "known"; entry: KnownHostEntry }
  | { kind: "unknown" }
  | { kind: "changed"; entries: readonly KnownHostEntry[] }
  | { kind: "revoked"; entry: KnownHostEntry };

export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === undefined || fields[0] === "" || fields[0].startsWith("#")) return;
    let marker: KnownHostEntry["marker"];
    if (fields[0] === "@revoked" || fields[0] === "@cert-authority") {
      marker = fields.shift()!.slice(1) as KnownHostEntry["marker"];
    }
    if (fields.length < 3) return; // malformed lines are skipped, as OpenSSH does
    entries.push({ marker, hostPatterns: fields[0]!, keyType: fields[1]!, keyBase64: fields[2]!, file, line: index + 1 });
  });
  return entries;
}

/** The name OpenSSH looks a host up by: `host` on port 22, else `[host]:port`. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** Does an entry's host field (comma list, maybe hashed) name `lookupName`? */
export function entryMatchesHost(hostPatterns: string, lookupName: string): boolean {
  if (hostPatterns.startsWith("|1|")) return hashedMatches(hostPatterns, lookupName);
  let matched = false;
  for (const pattern of hostPatterns.split(",")) {
    const negated = pattern.startsWith("!");
    if (globMatch(lookupName, negated ? pattern.slice(1) : pattern)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

function hashedMatches(field: string, lookupName: string): boolean {
  const [, , salt, hash] = field.split("|");
  if (salt === undefined || hash === undefined) return false;
  const digest = createHmac("sha1", Buffer.from(salt, "base64")).update(lookupName).digest("base64");
  return digest === hash;
}

/**
 * Judges the key a server presented. Revocation wins over everything; a host with entries but
 * none equal to the presented key has a changed key (whatever the key types).
 */
export function verifyHostKey(entries: readonly KnownHostEntry[], lookupName: string, key: Buffer): HostKeyVerdict {
  const presented = key.toString("base64");
  const revoked = entries.find((e) => e.marker === "revoked" && e.keyBase64 === presented);
  if (revoked !== undefined) return { kind: "revoked", entry: revoked };
  const forHost = entries.filter((e) => e.marker === undefined && entryMatchesHost(e.hostPatterns, lookupName));
  const match = forHost.find((e) => e.keyBase64 === presented);
  if (match !== undefined) return { kind: "known", entry: match };
  return forHost.length === 0 ? { kind: "unknown" } : { kind: "changed", entries: forHost };
}

/** Key types already recorded for this host, so we can ask the server for those first. */
export function knownKeyTypes(entries: readonly KnownHostEntry[], lookupName: string): string[] {
  const types = entries
    .filter((e) => e.marker === undefined && entryMatchesHost(e.hostPatterns, lookupName))
    .map((e) => e.keyType);
  return [...new Set(types)];
}

/** `SHA256:...` as `ssh-keygen -l` prints it. */
export function fingerprintSha256(key: Buffer): string {
  return `SHA256:${createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}`;
}

/** The key type written inside an SSH public key blob (its first length-prefixed string). */
export function keyTypeOfBlob(key: Buffer): string {
  if (key.length < 4) return "unknown";
  const length = key.readUInt32BE(0);
  return key.subarray(4, 4 + length).toString("latin1");
}

/** The line accept-new appends for a newly seen key. */
export function knownHostsLine(lookupName: string, key: Buffer): string {
  return `${lookupName} ${keyTypeOfBlob(key)} ${key.toString("base64")}\n`;
}
