/**
 * Normal forms shared by the argv builders, the inspect parsers and the comparison, so that
 * "2g" and 2147483648, "/etc/x/:/y:ro" and "/etc/x:/y:ro,rprivate,rbind", "NET_ADMIN" and
 * "CAP_NET_ADMIN" are the same thing everywhere.
 */
import { shlexWords } from "../shlex.js";
import type { ContainerSpec, Healthcheck } from "./types.js";

const SIZE_UNITS: Readonly<Record<string, number>> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** Docker's size strings ("512m", "2g", "1024") in bytes; base 1024, like docker and kolla. */
export function sizeToBytes(size: string | number): number {
  if (typeof size === "number") return size;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([bkmgt]?)b?\s*$/i.exec(size);
  if (m === null) throw new RangeError(`not a size: ${JSON.stringify(size)}`);
  return Math.round(Number(m[1]) * (SIZE_UNITS[(m[2] || "b").toLowerCase()] ?? 1));
}

/** "--cpus 1.5" as the NanoCpus that inspect reports. */
export function cpusToNano(cpus: string): number {
  const n = Number(cpus);
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`not a CPU count: ${JSON.stringify(cpus)}`);
  return Math.round(n * 1e9);
}

/** "CAP_NET_ADMIN" / "net_admin" → "NET_ADMIN" */
export function normalizeCap(cap: string): string {
  return cap.toUpperCase().replace(/^CAP_/, "");
}

/** "RLIMIT_NOFILE" (podman) / "nofile" (docker) → "nofile" */
export function normalizeUlimitName(name: string): string {
  return name.toLowerCase().replace(/^rlimit_/, "");
}

/** kolla's KOLLA_SERVICE_NAME: the container name with "_" → "-". */
export function kollaServiceName(containerName: string): string {
  return containerName.replaceAll("_", "-");
}

/**
 * The environment kolla gives a container: the spec's, then KOLLA_SERVICE_NAME injected on top
 * (kolla's worker overwrites any value the service set).
 */
export function desiredEnvironment(spec: ContainerSpec): Record<string, string> {
  return { ...spec.environment, KOLLA_SERVICE_NAME: kollaServiceName(spec.name) };
}

/** Labels every managed container carries, plus the spec's. */
export function desiredLabels(spec: ContainerSpec): Record<string, string> {
  return { kolla_managed: "true", ...spec.labels };
}

/** A volume entry split into its parts; `source` is undefined for an anonymous volume. */
export interface VolumeEntry {
  readonly source?: string;
  readonly target: string;
  /** "rw" | "ro", then the propagation if it is not the default, e.g. "rw,shared" */
  readonly mode: string;
}

const PROPAGATION = new Set(["shared", "rshared", "slave", "rslave"]);

function trimSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}

/** Reduces mount options to what changes behaviour: access, and non-default propagation. */
export function normalizeMountMode(options: string | undefined): string {
  const parts = (options ?? "").split(",").map((o) => o.trim()).filter((o) => o !== "");
  const access = parts.includes("ro") ? "ro" : "rw";
  const propagation = parts.filter((o) => PROPAGATION.has(o));
  return [access, ...propagation].join(",");
}

/** "/a/:/b:ro" | "name:/path" | "/anon" → parts; undefined for an empty entry. */
export function parseVolume(entry: string): VolumeEntry | undefined {
  const trimmed = entry.trim();
  if (trimmed === "") return undefined;
  const [first, second, options] = trimmed.split(":");
  if (second === undefined) return { target: trimSlash(first ?? ""), mode: "rw" };
  return { source: trimSlash(first ?? ""), target: trimSlash(second), mode: normalizeMountMode(options) };
}

/** The canonical "source:target:mode" of a bind or named volume. */
export function formatBind(v: VolumeEntry): string {
  return `${v.source ?? ""}:${v.target}:${v.mode}`;
}

/**
 * The healthcheck test in the form the engines store: the docker and podman CLIs only take a
 * shell string, so an exec-form ["CMD", ...] test becomes ["CMD-SHELL", "<quoted words>"].
 */
export function healthcheckTest(hc: Healthcheck): readonly string[] {
  const [kind, ...rest] = hc.test;
  if (kind === "CMD") return ["CMD-SHELL", rest.map(shellQuoteWord).join(" ")];
  if (kind === "CMD-SHELL" || kind === "NONE") return hc.test;
  return ["CMD-SHELL", hc.test.join(" ")];
}

export function isHealthcheckNone(hc: Healthcheck | undefined): boolean {
  return hc === undefined || hc.test[0] === "NONE" || hc.test.length === 0;
}

function shellQuoteWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Splits a container's command as kolla does: docker-py's split_command is Python's shlex.split. */
export function splitCommand(command: string): string[] {
  return shlexWords(command, "the container command");
}

/** "testbed/x" / "docker.io/library/x:latest" / "localhost/x:latest" → "x:latest"-style canonical name. */
export function normalizeImageRef(ref: string): string {
  let r = ref.replace(/^docker\.io\/library\//, "").replace(/^docker\.io\//, "").replace(/^localhost\//, "");
  const lastSegment = r.slice(r.lastIndexOf("/") + 1);
  if (!lastSegment.includes(":") && !r.includes("@")) r += ":latest";
  return r;
}

/** "abc…" / "sha256:abc…" → "sha256:abc…" */
export function normalizeImageId(id: string): string {
  return id === "" || id.startsWith("sha256:") ? id : `sha256:${id}`;
}
