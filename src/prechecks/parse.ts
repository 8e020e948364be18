/**
 * Parsers for the probe's raw outputs (ip, ss or /proc/net/tcp, df, `<engine> --version`, ping).
 * Pure: unit-tested with outputs captured from real hosts.
 */
import type { LinkInfo, Listener } from "./types.js";

/** `ip -o link show` → interfaces and whether they are administratively up. */
export function parseLinks(stdout: string): LinkInfo[] {
  const links: LinkInfo[] = [];
  for (const line of stdout.split("\n")) {
    // "2: eth0@if33: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 ..."
    const m = /^\d+:\s+([^:\s]+):\s+<([^>]*)>/.exec(line);
    if (m === null) continue;
    links.push({ name: stripPeer(m[1]!), up: m[2]!.split(",").includes("UP") });
  }
  return links;
}

/** `ip -o addr show` → interface → addresses (both families, prefix length dropped). */
export function parseAddresses(stdout: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const line of stdout.split("\n")) {
    // "2: eth0    inet 198.18.6.11/24 brd ... scope global eth0\ ..."
    const m = /^\d+:\s+(\S+)\s+inet6?\s+([0-9a-fA-F.:]+)(?:\/\d+)?\s/.exec(line);
    if (m === null) continue;
    (out[stripPeer(m[1]!)] ??= []).push(m[2]!);
  }
  return out;
}

/** `eth0@if33` (a veth's peer) and `eth0.100@eth0` (a VLAN's parent) name `eth0` / `eth0.100`. */
function stripPeer(name: string): string {
  const at = name.indexOf("@");
  return at < 0 ? name : name.slice(0, at);
}

/** The output of the listening-socket query: `kd-ss` + `ss -ltnpH`, or `kd-proc` + /proc/net/tcp{,6}. */
export function parseListeners(stdout: string): Listener[] | undefined {
  const [tag, ...lines] = stdout.split("\n");
  if (tag === "kd-ss") return lines.flatMap((l) => parseSsLine(l) ?? []);
  if (tag === "kd-proc") return lines.flatMap((l) => parseProcLine(l) ?? []);
  return undefined;
}

export function parseSsLine(line: string): Listener | undefined {
  // "LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:(("sshd",pid=68,fd=3))"
  const fields = line.trim().split(/\s+/);
  if (fields[0] !== "LISTEN" || fields[3] === undefined) return undefined;
  const local = fields[3];
  const colon = local.lastIndexOf(":");
  const port = Number(local.slice(colon + 1));
  if (colon < 0 || !Number.isInteger(port)) return undefined;
  const address = local.slice(0, colon).replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const user = /users:\(\("([^"]+)",pid=(\d+)/.exec(line);
  return { address: unmapV4(address), port, ...(user === null ? {} : { process: `${user[1]} (pid ${user[2]})` }) };
}

const PROC_LISTEN = "0A";

export function parseProcLine(line: string): Listener | undefined {
  // "  0: 00000000:2CAB 00000000:0000 0A 00000000:00000000 ..."
  const m = /^\s*\d+:\s+([0-9A-Fa-f]+):([0-9A-Fa-f]{4})\s+\S+\s+([0-9A-Fa-f]{2})\s/.exec(line);
  if (m === null || m[3]!.toUpperCase() !== PROC_LISTEN) return undefined;
  return { address: procAddress(m[1]!), port: parseInt(m[2]!, 16) };
}

/** /proc/net/tcp addresses are 32-bit words in host (little-endian) byte order. */
function procAddress(hex: string): string {
  const bytes: number[] = [];
  for (let w = 0; w < hex.length; w += 8) {
    const word = hex.slice(w, w + 8);
    for (let b = 6; b >= 0; b -= 2) bytes.push(parseInt(word.slice(b, b + 2), 16));
  }
  if (bytes.length === 4) return bytes.join(".");
  if (bytes.every((b) => b === 0)) return "::";
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12).join(".");
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return groups.join(":");
}

/** `::ffff:10.0.0.1` listens on the IPv4 address. */
function unmapV4(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m === null ? address : m[1]!;
}

const WILDCARDS = new Set(["0.0.0.0", "::", "*"]);

export function isWildcard(address: string): boolean {
  return WILDCARDS.has(address);
}

export function isLoopback(address: string): boolean {
  return address.startsWith("127.") || address === "::1";
}

/** "Docker version 28.2.2, build e6534b4" / "podman version 4.3.1" → [28, 2, 2]. */
export function parseEngineVersion(output: string): number[] | undefined {
  const m = /version\s+v?(\d+)\.(\d+)(?:\.(\d+))?/i.exec(output);
  if (m === null) return undefined;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

/** Negative, zero or positive as a is older, equal or newer than b. */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export interface EngineInfo {
  answers: boolean;
  root: string;
  error: string;
  diskFreeKb?: number;
}

/** The engine/disk script's output: `kd-engine up|down ROOT`, `kd-err ...` lines, `kd-df <df -P line>`. */
export function parseEngineDisk(stdout: string): EngineInfo {
  const info: EngineInfo = { answers: false, root: "", error: "" };
  const errors: string[] = [];
  for (const line of stdout.split("\n")) {
    const engine = /^kd-engine (up|down) (.*)$/.exec(line);
    if (engine !== null) {
      info.answers = engine[1] === "up";
      info.root = engine[2]!.trim();
    } else if (line.startsWith("kd-err ")) {
      errors.push(line.slice(7).trim());
    } else if (line.startsWith("kd-df ")) {
      // "Filesystem 1024-blocks Used Available Capacity Mounted-on": read from the end (names may hold spaces).
      const fields = line.slice(6).trim().split(/\s+/);
      const available = Number(fields[fields.length - 3]);
      if (Number.isFinite(available)) info.diskFreeKb = available;
    }
  }
  info.error = errors.filter((e) => e !== "").join(" | ");
  return info;
}

/** The ping script's output → VIP → answered; undefined when the host has no ping tool. */
export function parsePings(stdout: string): Record<string, boolean> | undefined {
  if (stdout.split("\n").includes("kd-noping")) return undefined;
  const out: Record<string, boolean> = {};
  for (const line of stdout.split("\n")) {
    const m = /^kd-vip (\S+) (yes|no)$/.exec(line);
    if (m !== null) out[m[1]!] = m[2] === "yes";
  }
  return out;
}
