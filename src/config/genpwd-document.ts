/**
 * Fills the empty values of a parsed passwords.yml in place, through the yaml Document API, so
 * comments, key order and every value the operator set survive. Only YAML null (`key:`, `~`,
 * `null`) counts as empty; an explicit "" or a value of an unexpected shape is the operator's and is kept.
 */
import { isMap, isScalar, Scalar, YAMLMap, type Document, type Node } from "yaml";
import { CEPH_BACKEND_SECRETS_KEY, PASSWORD_LENGTH, secretKindFor, type SecretKind } from "./genpwd-kinds.js";
import { randomBcryptSalt, randomFernetKey, randomHmacHex, randomPassword, randomUuid, type SshKeyPair } from "./genpwd-secrets.js";

/** Makes the SSH key pairs genpwd needs; injected so the document logic stays synchronous and testable. */
export type SshKeyPairSource = () => Promise<SshKeyPair>;

function isEmpty(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

function keyName(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

function scalarSecret(kind: Exclude<SecretKind, "ssh-key" | "blank">): string {
  switch (kind) {
    case "uuid":
      return randomUuid();
    case "hmac-hex":
      return randomHmacHex();
    case "fernet":
      return randomFernetKey();
    case "bcrypt-salt":
      return randomBcryptSalt();
    case "password":
      return randomPassword(PASSWORD_LENGTH);
  }
}

/** Puts a secret into a scalar that held null; an explicit `!!null` tag must not stay on it. */
function assignScalar(node: Scalar, value: string): void {
  node.value = value;
  node.tag = undefined;
}

/** Sets a mapping entry's value, reusing an existing null scalar so its comment stays attached. */
function setEntry(map: YAMLMap, key: string, value: string, blockLiteral = false): void {
  const current = map.get(key, true);
  const node = isScalar(current) ? current : new Scalar(value);
  assignScalar(node, value);
  if (blockLiteral) node.type = Scalar.BLOCK_LITERAL;
  if (node !== current) map.set(key, node);
}

function ensureMap(doc: Document, pair: { value: unknown }): YAMLMap {
  if (isMap(pair.value)) return pair.value;
  const map = doc.createNode({}) as YAMLMap;
  pair.value = map;
  return map;
}

/** kolla regenerates a pair only when both halves are missing; one half set means the operator's. */
function needsSshKeyPair(value: unknown): boolean {
  if (isEmpty(value)) return true;
  return isMap(value) && isEmpty(value.get("private_key", true)) && isEmpty(value.get("public_key", true));
}

function fillCephBackends(backends: YAMLMap, doc: Document): string[] {
  const filled: string[] = [];
  for (const pair of backends.items) {
    const backend = keyName(pair.key);
    if (!isEmpty(pair.value) && !isMap(pair.value)) continue;
    const entry = ensureMap(doc, pair);
    if (isEmpty(entry.get("uuid", true))) {
      setEntry(entry, "uuid", randomUuid());
      filled.push(`${CEPH_BACKEND_SECRETS_KEY}.${backend}.uuid`);
    }
    if (isEmpty(entry.get("secret", true))) {
      setEntry(entry, "secret", randomPassword(PASSWORD_LENGTH));
      filled.push(`${CEPH_BACKEND_SECRETS_KEY}.${backend}.secret`);
    }
  }
  return filled;
}

/**
 * Fills every empty value of the top-level mapping and returns the names filled, in file order
 * (nested names as `ceph_backend_secrets.<backend>.uuid`). Never returns or logs a value.
 */
export async function fillEmptySecrets(doc: Document, root: YAMLMap, makeKeyPair: SshKeyPairSource): Promise<string[]> {
  const filled: string[] = [];
  const sshJobs: Promise<void>[] = [];
  for (const pair of root.items) {
    const key = keyName(pair.key);
    const kind = secretKindFor(key);
    if (key === CEPH_BACKEND_SECRETS_KEY) {
      if (isMap(pair.value)) filled.push(...fillCephBackends(pair.value, doc));
    } else if (kind === "ssh-key") {
      if (!needsSshKeyPair(pair.value)) continue;
      const entry = ensureMap(doc, pair);
      filled.push(key);
      sshJobs.push(
        makeKeyPair().then((keys) => {
          setEntry(entry, "private_key", keys.private_key, true);
          setEntry(entry, "public_key", keys.public_key);
        }),
      );
    } else if (kind !== "blank" && isEmpty(pair.value)) {
      const value = scalarSecret(kind);
      if (isScalar(pair.value)) assignScalar(pair.value, value);
      else pair.value = doc.createNode(value) as Node;
      filled.push(key);
    }
  }
  await Promise.all(sshJobs);
  return filled;
}
