/** known_hosts I/O: read every file in use, and append a new key atomically (accept-new). */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { dirname, join, basename } from "node:path";
import { parseKnownHosts, type KnownHostEntry } from "./known-hosts.js";

/**
 * Each file is parsed again only when it changed (size or mtime), not once per connection: hundreds
 * of connections read the same files. Our own append forgets the file as well.
 */
const parsedFiles = new Map<string, { stamp: string; entries: Promise<KnownHostEntry[]> }>();

async function entriesOf(file: string): Promise<KnownHostEntry[]> {
  const stamp = await stat(file).then((st) => `${st.size} ${st.mtimeMs} ${st.ino}`, () => "missing");
  if (stamp === "missing") return [];
  const cached = parsedFiles.get(file);
  if (cached !== undefined && cached.stamp === stamp) return cached.entries;
  const entries = readFile(file, "utf8").then((text) => parseKnownHosts(text, file), () => []);
  parsedFiles.set(file, { stamp, entries });
  return entries;
}

/** Every entry of the files that exist; missing files count as empty. */
export async function readKnownHosts(files: readonly string[]): Promise<KnownHostEntry[]> {
  return (await Promise.all(files.map(entriesOf))).flat();
}

/** Appends serialised per file, so hosts accepted at the same time do not lose each other's lines. */
const appendQueues = new Map<string, Promise<void>>();

/** Appends `line` by writing a full new copy beside the file and renaming it over the old one. */
export function appendKnownHost(file: string, line: string): Promise<void> {
  const previous = appendQueues.get(file) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => rewriteWithLine(file, line));
  appendQueues.set(file, next);
  return next;
}

async function rewriteWithLine(file: string, line: string): Promise<void> {
  parsedFiles.delete(file);
  let current = "";
  let mode = 0o644;
  try {
    current = await readFile(file, "utf8");
    mode = (await stat(file)).mode & 0o7777; // keep the operator's permissions
  } catch {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  }
  const separator = current === "" || current.endsWith("\n") ? "" : "\n";
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  await writeFile(temp, current + separator + line, { mode });
  await rename(temp, file);
  parsedFiles.delete(file); // a read that started meanwhile may have cached the old text
}
