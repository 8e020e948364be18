/**
 * One ustar header block (pure). Shared by the transport's file stream (src/exec/tar.ts) and the
 * image builder's layer tars (src/image-build/layer-tar.ts), which add their own members and extensions.
 */
export const TAR_BLOCK = 512;

export interface UstarFields {
  /** at most 100 bytes (longer names need a pax or GNU extension, which callers write) */
  readonly name: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly mtime: number;
  /** "0" file, "2" symlink, "5" dir, "x" pax header, ... */
  readonly typeflag: string;
  readonly linkname?: string;
  readonly devmajor?: number;
  readonly devminor?: number;
}

function writeOctal(header: Buffer, offset: number, width: number, value: number): void {
  if (value >= 8 ** (width - 1)) throw new Error(`tar field too large: ${value}`);
  header.write(`${value.toString(8).padStart(width - 1, "0")}\u0000`, offset, "latin1");
}

export function ustarHeader(f: UstarFields): Buffer {
  const header = Buffer.alloc(TAR_BLOCK);
  header.write(f.name, 0, 100, "utf8");
  writeOctal(header, 100, 8, f.mode & 0o7777);
  writeOctal(header, 108, 8, f.uid);
  writeOctal(header, 116, 8, f.gid);
  writeOctal(header, 124, 12, f.size);
  writeOctal(header, 136, 12, Math.max(0, Math.floor(f.mtime)));
  header.write(f.typeflag, 156, 1, "latin1");
  header.write(f.linkname ?? "", 157, 100, "utf8");
  header.write("ustar\u000000", 257, "latin1"); // magic "ustar\0" + version "00"
  writeOctal(header, 329, 8, f.devmajor ?? 0);
  writeOctal(header, 337, 8, f.devminor ?? 0);
  // The checksum is computed with its own field read as eight spaces.
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, "0")}\u0000 `, 148, "latin1");
  return header;
}
