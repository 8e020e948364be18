/**
 * `inspect` JSON → ContainerState / ImageInfo (pure). docker 20.10 and podman 4.x differ in
 * small ways (handled here, nowhere else): podman binds carry every mount option, ulimits are
 * "RLIMIT_*", image ids lack "sha256:", names lack the leading "/", podman 4.9 renamed
 * PidMode/CgroupnsMode to PidNS/CgroupNS, and podman 4.3 reports ipc "host" as "shareable".
 */
import { formatBind, normalizeCap, normalizeImageId, normalizeMountMode, normalizeUlimitName } from "./normalize.js";
import type { ContainerState, Healthcheck, ImageInfo, Ulimit } from "./types.js";

type Json = Record<string, unknown>;

function obj(v: unknown): Json {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {};
}
function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}
function num(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) ? v : 0;
}
function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}
function stringMap(v: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(obj(v)).map(([k, x]) => [k, String(x ?? "")]));
}

/** Parses the stdout of `inspect`: a JSON array. Throws SyntaxError on anything else. */
export function parseInspectArray(stdout: string): Json[] {
  const trimmed = stdout.trim();
  if (trimmed === "") return [];
  const parsed: unknown = JSON.parse(trimmed);
  if (!Array.isArray(parsed)) throw new SyntaxError("inspect output is not a JSON array");
  return parsed.map(obj);
}

/** `docker|podman container inspect` output → one state per container. */
export function parseContainerInspect(stdout: string): ContainerState[] {
  return parseInspectArray(stdout).map(toContainerState);
}

/** `docker|podman image inspect` output → image ids, tags and labels. */
export function parseImageInspect(stdout: string): ImageInfo[] {
  return parseInspectArray(stdout).map((raw) => ({
    id: normalizeImageId(str(raw.Id)),
    repoTags: strings(raw.RepoTags),
    labels: stringMap(obj(raw.Config).Labels ?? raw.Labels),
  }));
}

function toContainerState(raw: Json): ContainerState {
  const config = obj(raw.Config);
  const host = obj(raw.HostConfig);
  const state = obj(raw.State);
  const restart = obj(host.RestartPolicy);
  const healthcheck = parseHealthcheck(config.Healthcheck);
  const health = parseHealth(state.Health ?? state.Healthcheck);
  return {
    name: str(raw.Name).replace(/^\//, ""),
    id: str(raw.Id),
    image: str(raw.ImageName) || str(config.Image),
    imageId: normalizeImageId(str(raw.Image)),
    status: str(state.Status),
    exitCode: num(state.ExitCode),
    ...(health === undefined ? {} : health),
    startedAt: str(state.StartedAt),
    env: parseEnv(strings(config.Env)),
    labels: stringMap(config.Labels),
    binds: strings(host.Binds).map(normalizeBindString),
    volumes: Object.keys(obj(config.Volumes)),
    privileged: host.Privileged === true,
    pidMode: normalizeNamespace(str(host.PidMode) || str(host.PidNS)),
    ...ipcModeOf(raw, host, config),
    cgroupnsMode: str(host.CgroupnsMode) || str(host.CgroupNS) || str(host.CgroupMode),
    capAdd: strings(host.CapAdd).map(normalizeCap),
    securityOpt: strings(host.SecurityOpt),
    tmpfs: Object.keys(obj(host.Tmpfs)),
    ...(healthcheck === undefined ? {} : { healthcheck }),
    ulimits: parseUlimits(host.Ulimits),
    memoryBytes: num(host.Memory),
    memoryReservationBytes: num(host.MemoryReservation),
    nanoCpus: num(host.NanoCpus) || quotaToNano(num(host.CpuQuota), num(host.CpuPeriod)),
    cpusetCpus: str(host.CpusetCpus),
    cpuShares: num(host.CpuShares),
    command: [str(raw.Path), ...strings(raw.Args)].filter((w, i) => i > 0 || w !== ""),
    restartPolicy: str(restart.Name) || "no",
    restartRetries: num(restart.MaximumRetryCount),
  };
}

function parseEnv(env: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of env) {
    const eq = entry.indexOf("=");
    if (eq > 0) out[entry.slice(0, eq)] = entry.slice(eq + 1);
    else out[entry] = "";
  }
  return out;
}

/** "src:dst[:opts]" as stored by either engine → canonical "src:dst:mode" */
function normalizeBindString(bind: string): string {
  const [source = "", target = "", options] = bind.split(":");
  const trim = (p: string): string => (p.length > 1 ? p.replace(/\/+$/, "") : p);
  return formatBind({ source: trim(source), target: trim(target), mode: normalizeMountMode(options) });
}

/** "private" (podman) and "" (docker) both mean the default: a private namespace. */
function normalizeNamespace(mode: string): string {
  return mode === "private" ? "" : mode;
}

/**
 * podman 4.3 reports "shareable" for both the default and `--ipc host`; its CreateCommand
 * still says what was asked for. Unknown stays undefined so the comparison can skip it.
 */
function ipcModeOf(raw: Json, host: Json, config: Json): { ipcMode?: string } {
  const created = flagValue(strings(config.CreateCommand), "--ipc");
  if (created !== undefined) return { ipcMode: normalizeIpc(created) };
  const reported = str(host.IpcMode) || str(host.IpcNS);
  const podmanWithoutCli = "ConmonPidFile" in raw && !Array.isArray(config.CreateCommand);
  if (podmanWithoutCli && reported === "shareable") return {};
  return { ipcMode: normalizeIpc(reported) };
}

function normalizeIpc(mode: string): string {
  return mode === "private" || mode === "shareable" ? "" : mode;
}

function flagValue(argv: readonly string[], flag: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === flag) return argv[i + 1];
    if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
  }
  return undefined;
}

function parseHealthcheck(v: unknown): Healthcheck | undefined {
  const hc = obj(v);
  const test = strings(hc.Test);
  if (test.length === 0) return undefined;
  const sec = (ns: unknown): number => num(ns) / 1e9;
  return {
    test,
    intervalSec: sec(hc.Interval),
    timeoutSec: sec(hc.Timeout),
    retries: num(hc.Retries),
    startPeriodSec: sec(hc.StartPeriod),
  };
}

function parseHealth(v: unknown): { health: string; healthLog?: string } | undefined {
  const h = obj(v);
  const status = str(h.Status);
  if (status === "") return undefined;
  const log = Array.isArray(h.Log) ? h.Log.map(obj) : [];
  const last = log[log.length - 1];
  return last === undefined ? { health: status } : { health: status, healthLog: str(last.Output).trim() };
}

function parseUlimits(v: unknown): Ulimit[] {
  if (!Array.isArray(v)) return [];
  return v.map(obj).map((u) => ({ name: normalizeUlimitName(str(u.Name)), soft: num(u.Soft), hard: num(u.Hard) }));
}

function quotaToNano(quota: number, period: number): number {
  return quota > 0 && period > 0 ? Math.round((quota / period) * 1e9) : 0;
}
