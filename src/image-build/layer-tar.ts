/**
 * Pure tar pieces for image layers: headers (ustar, with a PAX record for long names) and the
 * mapping of overlayfs upper-dir artefacts to the OCI/Docker layer format:
 * a whiteout (character device 0/0) becomes an empty `.wh.<name>` file, an opaque directory
 * (xattr trusted.overlay.opaque=y) gets an empty `<dir>/.wh..wh..opq` file after its own entry.
 */
import { TAR_BLOCK as BLOCK, ustarHeader as writeUstarHeader } from "../tar-header.js";

export const WHITEOUT_PREFIX = ".wh.";
export const OPAQUE_MARKER = ".wh..wh..opq";

export type EntryType = "file" | "dir" | "symlink" | "hardlink" | "char" | "block" | "fifo";

/** One tar member; `path` is relative to the layer root, without a leading slash or ./ */
export interface LayerEntry {
  readonly path: string;
  readonly type: EntryType;
  /** permission bits including setuid/setgid/sticky */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  /** seconds since the epoch */
  readonly mtime: number;
  readonly linkname?: string;
  readonly devmajor?: number;
  readonly devminor?: number;
}

/** What the walker saw on disk for one path of the upper directory. */
export interface UpperNode {
  readonly path: string;
  readonly kind: EntryType | "whiteout";
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly mtime: number;
  readonly opaque?: boolean;
  readonly linkname?: string;
  readonly devmajor?: number;
  readonly devminor?: number;
}

function parentAndName(path: string): [string, string] {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? ["", path] : [path.slice(0, slash + 1), path.slice(slash + 1)];
}

function marker(path: string, mtime: number): LayerEntry {
  return { path, type: "file", mode: 0o644, uid: 0, gid: 0, size: 0, mtime };
}

/** The layer entries for one upper-dir node: whiteouts and opaque directories converted. */
export function layerEntriesFor(node: UpperNode): LayerEntry[] {
  if (node.kind === "whiteout") {
    const [dir, name] = parentAndName(node.path);
    return [marker(`${dir}${WHITEOUT_PREFIX}${name}`, node.mtime)];
  }
  const { kind, opaque: _opaque, ...rest } = node;
  const entry: LayerEntry = { ...rest, type: kind };
  if (kind === "dir" && node.opaque === true) return [entry, marker(`${node.path}/${OPAQUE_MARKER}`, node.mtime)];
  return [entry];
}

/** Parses `getfattr -R -P --absolute-names -d -m '^trusted.overlay.opaque$' ROOT` into relative paths. */
export function parseOpaqueDirs(getfattrOutput: string, root: string): Set<string> {
  const prefix = root.endsWith("/") ? root : `${root}/`;
  const out = new Set<string>();
  let current: string | undefined;
  for (const line of getfattrOutput.split("\n")) {
    if (line.startsWith("# file: ")) current = unescapeGetfattr(line.slice("# file: ".length));
    else if (current !== undefined && /^trusted\.overlay\.opaque="y"$/.test(line.trim()) && current.startsWith(prefix)) {
      out.add(current.slice(prefix.length));
    }
  }
  return out;
}

/** getfattr prints unusual bytes in names as \ooo octal escapes. */
function unescapeGetfattr(name: string): string {
  const bytes = Buffer.from(name.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8))), "latin1");
  return bytes.toString("utf8");
}

const TYPEFLAG: Record<EntryType, string> = { file: "0", hardlink: "1", symlink: "2", char: "3", block: "4", dir: "5", fifo: "6" };

/** The header block(s) of one member: a PAX record first when a name does not fit ustar. */
export function entryHeader(entry: LayerEntry): Buffer {
  const name = entry.type === "dir" ? `${entry.path}/` : entry.path;
  const linkname = entry.linkname ?? "";
  const pax: Record<string, string> = {};
  if (!fitsUstar(name, 100)) pax.path = name;
  if (!fitsUstar(linkname, 100)) pax.linkpath = linkname;
  const ustar = ustarHeader({ ...entry, path: pax.path === undefined ? name : truncate(name) }, pax.linkpath === undefined ? linkname : truncate(linkname));
  if (Object.keys(pax).length === 0) return ustar;
  const body = paxBody(pax);
  const paxHeader = ustarHeader({ path: truncate(`PaxHeaders/${name}`), type: "file", mode: 0o644, uid: 0, gid: 0, size: body.length, mtime: entry.mtime }, "", "x");
  return Buffer.concat([paxHeader, body, Buffer.alloc(padding(body.length)), ustar]);
}

function fitsUstar(text: string, width: number): boolean {
  return Buffer.byteLength(text, "utf8") <= width && /^[\x20-\x7e]*$/.test(text);
}

function truncate(text: string): string {
  return Buffer.from(text.replace(/[^\x20-\x7e]/g, "_"), "latin1").subarray(0, 99).toString("latin1");
}

/** PAX records are "<len> key=value\n" where len counts the whole record, itself included. */
export function paxBody(records: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [key, value] of Object.entries(records)) {
    const payload = ` ${key}=${value}\n`;
    const payloadBytes = Buffer.byteLength(payload, "utf8");
    let length = payloadBytes + 1;
    while (String(length).length + payloadBytes !== length) length = String(length).length + payloadBytes;
    parts.push(Buffer.from(`${length}${payload}`, "utf8"));
  }
  return Buffer.concat(parts);
}

export function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

/** Two zero blocks end an archive. */
export function endOfArchive(): Buffer {
  return Buffer.alloc(2 * BLOCK);
}

function ustarHeader(entry: LayerEntry, linkname: string, typeflag = TYPEFLAG[entry.type]): Buffer {
  return writeUstarHeader({
    name: entry.path,
    mode: entry.mode,
    uid: entry.uid,
    gid: entry.gid,
    size: entry.type === "file" ? entry.size : 0,
    mtime: entry.mtime,
    typeflag,
    linkname,
    ...(entry.devmajor === undefined ? {} : { devmajor: entry.devmajor }),
    ...(entry.devminor === undefined ? {} : { devminor: entry.devminor }),
  });
}
