/**
 * Decides which entries of a parsed passwords.yml are empty and what goes into each, then splices
 * the values into the original text (genpwd-edits.ts) and checks the result reads back as intended.
 * Only YAML null (`key:`, `~`, `null`) counts as empty; an explicit "" or a value of an unexpected
 * shape is the operator's and is kept.
 */
import { isDeepStrictEqual } from "node:util";
import { isMap, isScalar, keyText, parseYaml, toPlain, type Pair, type ParsedYaml, type Scalar, type YAMLMap } from "../yaml/index.js";
import { DeployError } from "../errors.js";
import { applyEdits, editsForEntry, type EmptyEntry, type EntryContent, type TextEdit } from "./genpwd-edits.js";
import { CEPH_BACKEND_SECRETS_KEY, PASSWORD_LENGTH, secretKindFor, type SecretKind } from "./genpwd-kinds.js";
import { randomBcryptSalt, randomFernetKey, randomHmacHex, randomPassword, randomUuid, type SshKeyPair } from "./genpwd-secrets.js";

/** Makes the SSH key pairs genpwd needs; injectable so tests can use small keys. */
export type SshKeyPairSource = () => Promise<SshKeyPair>;

/** One empty entry to fill: its name for the summary, its path for the read-back check. */
interface Slot {
  name: string;
  path: string[];
  entry: EmptyEntry;
  content: () => EntryContent | Promise<EntryContent>;
}

function emptyScalar(node: unknown): Scalar | undefined {
  return isScalar(node) && node.value === null ? node : undefined;
}

function keyName(key: unknown): string {
  return keyText(key) ?? String(key);
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

function entryOf(pair: Pair): EmptyEntry | undefined {
  const value = emptyScalar(pair.value);
  return value !== undefined && isScalar(pair.key) ? { key: pair.key, value } : undefined;
}

/** A nested `name:` entry of `map` that is present and empty. */
function emptyChild(map: YAMLMap, name: string): EmptyEntry | undefined {
  const pair = map.items.find((p) => keyName(p.key) === name);
  return pair === undefined ? undefined : entryOf(pair);
}

/** kolla regenerates a pair only when both halves are empty; one half set means it is the operator's. */
function sshSlots(pair: Pair, key: string, parent: YAMLMap, makeKeyPair: SshKeyPairSource): Slot[] {
  const whole = entryOf(pair);
  if (whole !== undefined && !parent.flow) {
    const content = async (): Promise<EntryContent> => {
      const keys = await makeKeyPair();
      return { kind: "mapping", entries: [{ key: "private_key", value: keys.private_key, block: true }, { key: "public_key", value: keys.public_key }] };
    };
    return [{ name: key, path: [key], entry: whole, content }];
  }
  if (!isMap(pair.value) || pair.value.flow) return [];
  const [priv, pub] = [emptyChild(pair.value, "private_key"), emptyChild(pair.value, "public_key")];
  if (priv === undefined || pub === undefined) return [];
  const keys = (async () => makeKeyPair())();
  keys.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
  return [
    { name: key, path: [key, "private_key"], entry: priv, content: async () => ({ kind: "scalar", value: (await keys).private_key, block: true }) },
    { name: "", path: [key, "public_key"], entry: pub, content: async () => ({ kind: "scalar", value: (await keys).public_key }) },
  ];
}

function cephSlots(backends: YAMLMap): Slot[] {
  if (backends.flow) return [];
  return backends.items.flatMap((pair): Slot[] => {
    const backend = keyName(pair.key);
    const prefix = `${CEPH_BACKEND_SECRETS_KEY}.${backend}`;
    const whole = entryOf(pair);
    if (whole !== undefined) {
      const entries = [{ key: "uuid", value: randomUuid() }, { key: "secret", value: randomPassword(PASSWORD_LENGTH) }];
      return [{ name: prefix, path: [CEPH_BACKEND_SECRETS_KEY, backend], entry: whole, content: () => ({ kind: "mapping", entries }) }];
    }
    if (!isMap(pair.value) || pair.value.flow) return [];
    const map = pair.value;
    return (["uuid", "secret"] as const).flatMap((field): Slot[] => {
      const entry = emptyChild(map, field);
      const value = field === "uuid" ? randomUuid() : randomPassword(PASSWORD_LENGTH);
      return entry === undefined ? [] : [{ name: `${prefix}.${field}`, path: [CEPH_BACKEND_SECRETS_KEY, backend, field], entry, content: () => ({ kind: "scalar", value }) }];
    });
  });
}

function planSlots(root: YAMLMap, makeKeyPair: SshKeyPairSource): Slot[] {
  return root.items.flatMap((pair): Slot[] => {
    const key = keyName(pair.key);
    const kind = secretKindFor(key);
    if (key === CEPH_BACKEND_SECRETS_KEY) return isMap(pair.value) ? cephSlots(pair.value) : [];
    if (kind === "ssh-key") return sshSlots(pair, key, root, makeKeyPair);
    const entry = entryOf(pair);
    if (kind === "blank" || entry === undefined) return [];
    const value = scalarSecret(kind);
    return [{ name: key, path: [key], entry, content: () => ({ kind: "scalar", value }) }];
  });
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  const parents = path.slice(0, -1).reduce<Record<string, unknown>>((node, step) => node[step] as Record<string, unknown>, target);
  parents[path[path.length - 1]!] = value;
}

function contentValue(content: EntryContent): unknown {
  return content.kind === "scalar" ? content.value : Object.fromEntries(content.entries.map((e) => [e.key, e.value]));
}

/** The edited text must read back as the old data plus exactly the new values, or nothing is written. */
function verifyReadBack(parsed: ParsedYaml, newText: string, filled: readonly { path: string[]; content: EntryContent }[]): void {
  const expected = toPlain(parsed) as Record<string, unknown>;
  for (const { path, content } of filled) setPath(expected, path, contentValue(content));
  const reparsed = parseYaml(newText);
  if (reparsed.problems.length > 0 || !isDeepStrictEqual(toPlain(reparsed), expected)) {
    throw new DeployError("E_GENPWD_INTERNAL", "the filled passwords file would not read back as intended; nothing was written", "please report this with the file's layout (not its values)");
  }
}

/**
 * Fills every empty entry of the top-level mapping `root` of `parsed` (from `text`). Returns the
 * new text and the names filled, in file order (nested ones as `ceph_backend_secrets.<backend>.uuid`).
 */
export async function fillEmptySecrets(text: string, parsed: ParsedYaml, root: YAMLMap, makeKeyPair: SshKeyPairSource): Promise<{ text: string; filled: string[] }> {
  const slots = planSlots(root, makeKeyPair);
  const contents = await Promise.all(slots.map((slot) => slot.content()));
  const edits: TextEdit[] = slots.flatMap((slot, i) => editsForEntry(text, slot.entry, contents[i]!));
  const newText = applyEdits(text, edits);
  verifyReadBack(parsed, newText, slots.map((slot, i) => ({ path: slot.path, content: contents[i]! })));
  return { text: newText, filled: slots.map((slot) => slot.name).filter((name) => name !== "") };
}
