/**
 * Turns a layer's directory (an overlayfs upper dir, or a debootstrap root) into a gzipped tar and
 * its two digests: diff_id (sha256 of the tar) and the blob digest (sha256 of the gzip), computed
 * while streaming, so a large layer never sits in memory.
 */
import { execFileSync } from "node:child_process";
import { createHash, type Hash } from "node:crypto";
import { createReadStream, createWriteStream, lstatSync, readdirSync, readFileSync, readlinkSync, type Stats } from "node:fs";
import { once } from "node:events";
import { join } from "node:path";
import { createGzip, type Gzip } from "node:zlib";
import { endOfArchive, entryHeader, layerEntriesFor, padding, parseOpaqueDirs, type LayerEntry, type UpperNode } from "./layer-tar.js";

export interface WrittenLayer {
  readonly digest: string;
  readonly diffId: string;
  readonly size: number;
}

/** Directories whose contents never belong in a layer (the runtime mounts its own). */
const RUNTIME_DIRS = new Set(["proc", "sys", "dev"]);

function nodeFor(path: string, st: Stats, opaque: boolean, absolute: string): UpperNode | undefined {
  const base = { path, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, size: 0, mtime: Math.floor(st.mtimeMs / 1000) };
  if (st.isDirectory()) return { ...base, kind: "dir", opaque };
  if (st.isFile()) return { ...base, kind: "file", size: st.size };
  if (st.isSymbolicLink()) return { ...base, kind: "symlink", linkname: readlinkSync(absolute) };
  if (st.isFIFO()) return { ...base, kind: "fifo" };
  if (st.isCharacterDevice() && st.rdev === 0) return { ...base, kind: "whiteout" };
  if (st.isCharacterDevice() || st.isBlockDevice()) {
    return { ...base, kind: st.isCharacterDevice() ? "char" : "block", devmajor: Math.floor(st.rdev / 256) & 0xfff, devminor: st.rdev & 0xff };
  }
  return undefined; // sockets: a layer cannot carry them
}

/** Every path under root, parents before children, names sorted (deterministic order). */
export function walkLayerDir(root: string): UpperNode[] {
  const opaque = parseOpaqueDirs(readOpaqueXattrs(root), root);
  const out: UpperNode[] = [];
  const visit = (relative: string): void => {
    const names = readdirSync(relative === "" ? root : join(root, relative)).sort();
    for (const name of names) {
      const path = relative === "" ? name : `${relative}/${name}`;
      const absolute = join(root, path);
      const st = lstatSync(absolute);
      const node = nodeFor(path, st, opaque.has(path), absolute);
      if (node === undefined) continue;
      out.push(node);
      if (node.kind === "dir" && !(relative === "" && RUNTIME_DIRS.has(name))) visit(path);
    }
  };
  visit("");
  return out;
}

function readOpaqueXattrs(root: string): string {
  try {
    return execFileSync("getfattr", ["-R", "-P", "-h", "--absolute-names", "-d", "-m", "^trusted\\.overlay\\.opaque$", root], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      stdio: ["ignore", "pipe", "ignore"],
    });
  } catch (error) {
    throw new Error(`getfattr failed on ${root} (is the attr package installed?): ${(error as Error).message}`);
  }
}

class LayerStream {
  private readonly tarHash: Hash = createHash("sha256");
  private readonly gzHash: Hash = createHash("sha256");
  /** Level 1: layers go to a registry on the local network, where compression time costs more than bytes. */
  private readonly gzip: Gzip = createGzip({ level: 1 });
  private compressedSize = 0;
  private readonly done: Promise<unknown>;

  constructor(outFile: string) {
    const out = createWriteStream(outFile);
    this.gzip.on("data", (chunk: Buffer) => {
      this.gzHash.update(chunk);
      this.compressedSize += chunk.length;
    });
    this.gzip.pipe(out);
    this.done = once(out, "close");
  }

  /** Small writes are batched: one zlib call per 512-byte header would dominate the run time. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  async write(chunk: Buffer): Promise<void> {
    this.tarHash.update(chunk);
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    const batch = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    if (!this.gzip.write(batch)) await once(this.gzip, "drain");
  }

  async finish(): Promise<WrittenLayer> {
    await this.flush();
    this.gzip.end();
    await this.done;
    return { diffId: `sha256:${this.tarHash.digest("hex")}`, digest: `sha256:${this.gzHash.digest("hex")}`, size: this.compressedSize };
  }
}

/** Writes root's tree as a layer to outFile (gzip); hard links inside the layer stay hard links. */
export async function writeLayer(root: string, outFile: string): Promise<WrittenLayer> {
  const stream = new LayerStream(outFile);
  const firstPathOfInode = new Map<string, string>();
  for (const node of walkLayerDir(root)) {
    for (const entry of layerEntriesFor(node)) {
      // Only real files can be hard links; whiteout and opaque markers exist only in the tar.
      const linked = node.kind === "file" && entry.path === node.path ? hardLinkTarget(root, entry.path, firstPathOfInode) : undefined;
      const final: LayerEntry = linked === undefined ? entry : { ...entry, type: "hardlink", linkname: linked, size: 0 };
      await stream.write(entryHeader(final));
      if (final.type === "file" && final.size > 0) await copyContent(join(root, final.path), final.size, stream);
    }
  }
  await stream.write(endOfArchive());
  return stream.finish();
}

function hardLinkTarget(root: string, path: string, seen: Map<string, string>): string | undefined {
  const st = lstatSync(join(root, path));
  if (st.nlink < 2) return undefined;
  const inode = `${st.dev}:${st.ino}`;
  const first = seen.get(inode);
  if (first === undefined) seen.set(inode, path);
  return first;
}

/** Files below this size are read in one call: a stream per small file costs more than its bytes. */
const SMALL_FILE = 4 << 20;

async function copyContent(path: string, size: number, stream: LayerStream): Promise<void> {
  if (size <= SMALL_FILE) {
    const data = readFileSync(path);
    if (data.length !== size) throw new Error(`${path} changed size while it was archived`);
    await stream.write(data);
    await stream.write(Buffer.alloc(padding(size)));
    return;
  }
  let copied = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const buf = chunk as Buffer;
    // A file that grew while we read would corrupt the archive; write exactly the size in the header.
    const take = buf.subarray(0, Math.max(0, size - copied));
    copied += take.length;
    await stream.write(take);
  }
  if (copied < size) throw new Error(`${path} shrank while it was archived`);
  await stream.write(Buffer.alloc(padding(size)));
}
