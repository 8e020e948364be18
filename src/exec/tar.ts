/**
 * A minimal ustar writer (pure): regular files only, short names. Enough to carry many files over
 * one exec's stdin; the remote `tar` (GNU or busybox) reads it.
 */
import { TAR_BLOCK as BLOCK, ustarHeader } from "../tar-header.js";

/** The size field holds 11 octal digits. */
const MAX_SIZE = 0o77777777777;

export interface TarEntry {
  readonly name: string;
  readonly data: Buffer;
}

/** One archive: a header and padded data per entry, then two zero blocks. */
export function writeTar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    parts.push(tarHeader(entry.name, entry.data.length));
    parts.push(entry.data);
    const padding = (BLOCK - (entry.data.length % BLOCK)) % BLOCK;
    if (padding > 0) parts.push(Buffer.alloc(padding));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}

export function tarHeader(name: string, size: number): Buffer {
  const nameBytes = Buffer.from(name, "utf8");
  if (nameBytes.length === 0 || nameBytes.length > 100) throw new Error(`tar member name must be 1-100 bytes: ${name}`);
  if (size > MAX_SIZE) throw new Error(`file too large for a ustar member: ${size} bytes`);
  // mode: private while staged; the final mode is set on placement
  return ustarHeader({ name, mode: 0o600, uid: 0, gid: 0, size, mtime: 0, typeflag: "0" });
}
