/**
 * A minimal ustar writer (pure): regular files only, short names. Enough to carry many files over
 * one exec's stdin; the remote `tar` (GNU or busybox) reads it.
 */
const BLOCK = 512;
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
  const header = Buffer.alloc(BLOCK);
  nameBytes.copy(header, 0);
  writeOctal(header, 100, 8, 0o600); // mode: private while staged; the final mode is set on placement
  writeOctal(header, 108, 8, 0); // uid
  writeOctal(header, 116, 8, 0); // gid
  writeOctal(header, 124, 12, size);
  writeOctal(header, 136, 12, 0); // mtime
  header.write("0", 156, "latin1"); // typeflag: regular file
  header.write("ustar\u000000", 257, "latin1"); // magic "ustar\0" + version "00"
  // The checksum is computed with its own field read as eight spaces.
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, "0")}\u0000 `, 148, "latin1");
  return header;
}

function writeOctal(header: Buffer, offset: number, width: number, value: number): void {
  header.write(`${value.toString(8).padStart(width - 1, "0")}\u0000`, offset, "latin1");
}
