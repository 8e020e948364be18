/**
 * Does a running container still match its desired spec? (pure; kolla's compare_container,
 * reference §5.3). Every difference becomes one human-readable reason; an empty list means
 * "leave it alone". Environment values are never quoted: they may be secrets.
 * Not compared, like kolla: the restart policy and the network mode (always host).
 */
import {
  cpusToNano,
  desiredEnvironment,
  desiredLabels,
  formatBind,
  healthcheckTest,
  isHealthcheckNone,
  normalizeCap,
  normalizeImageRef,
  normalizeUlimitName,
  parseVolume,
  sizeToBytes,
  splitCommand,
} from "./normalize.js";
import type { ContainerSpec, ContainerState, Healthcheck } from "./types.js";

type Check = (desired: ContainerSpec, current: ContainerState) => string[];

/** Every way `current` differs from `desired`; `desiredImageId` is the local id of desired.image (undefined: not present). */
export function compareContainer(
  desired: ContainerSpec,
  current: ContainerState | undefined,
  desiredImageId?: string,
): string[] {
  if (current === undefined) return ["container missing"];
  const checks: Check[] = [
    (d, c) => compareImage(d, c, desiredImageId),
    compareEnvironment,
    compareVolumes,
    compareSets("tmpfs", (s) => s.tmpfs, (c) => c.tmpfs),
    compareCapAdd,
    compareSecurityOpt,
    compareFlags,
    compareLabels,
    compareDimensions,
    compareCommand,
    compareHealthcheck,
    compareRunning,
  ];
  return checks.flatMap((check) => check(desired, current));
}

function short(id: string): string {
  return id.replace(/^sha256:/, "").slice(0, 12);
}

function compareImage(d: ContainerSpec, c: ContainerState, desiredImageId: string | undefined): string[] {
  if (desiredImageId === undefined) return [`image not present locally: ${d.image}`];
  if (desiredImageId !== c.imageId) return [`image changed: ${short(c.imageId)} → ${short(desiredImageId)} (${d.image})`];
  if (normalizeImageRef(d.image) !== normalizeImageRef(c.image)) return [`image changed: ${c.image} → ${d.image}`];
  return [];
}

/** Each desired variable must be there with the same value; extra ones in the container are fine. */
function compareEnvironment(d: ContainerSpec, c: ContainerState): string[] {
  const changed = Object.entries(desiredEnvironment(d))
    .filter(([k, v]) => c.env[k] !== (v ?? ""))
    .map(([k]) => k);
  return changed.length === 0 ? [] : [`environment changed: ${changed.join(", ")}`];
}

function compareVolumes(d: ContainerSpec, c: ContainerState): string[] {
  const entries = d.volumes.map(parseVolume).filter((v) => v !== undefined);
  const binds = entries.filter((v) => v.source !== undefined).map(formatBind);
  const anonymous = entries.filter((v) => v.source === undefined).map((v) => v.target);
  return [...setDiff("volumes", binds, c.binds), ...setDiff("anonymous volumes", anonymous, c.volumes)];
}

function setDiff(what: string, desired: readonly string[], current: readonly string[]): string[] {
  const want = new Set(desired);
  const have = new Set(current);
  const added = [...want].filter((x) => !have.has(x)).map((x) => `+${x}`);
  const removed = [...have].filter((x) => !want.has(x)).map((x) => `-${x}`);
  const all = [...added, ...removed];
  return all.length === 0 ? [] : [`${what} changed: ${all.join(" ")}`];
}

function compareSets(what: string, desired: (s: ContainerSpec) => readonly string[], current: (c: ContainerState) => readonly string[]): Check {
  return (d, c) => setDiff(what, desired(d).map(tmpfsPath), current(c));
}

function tmpfsPath(entry: string): string {
  return entry.split(":")[0] ?? entry;
}

/** A privileged container has every capability: podman does not even list cap_add then. */
function compareCapAdd(d: ContainerSpec, c: ContainerState): string[] {
  if (d.privileged && c.privileged) return [];
  return setDiff("cap_add", d.capAdd.map(normalizeCap), c.capAdd.map(normalizeCap));
}

/** kolla skips security_opt for privileged containers and for host ipc/pid ones. */
function compareSecurityOpt(d: ContainerSpec, c: ContainerState): string[] {
  if (d.privileged || d.ipcMode === "host" || d.pidMode === "host") return [];
  return setDiff("security_opt", d.securityOpt, c.securityOpt);
}

function compareFlags(d: ContainerSpec, c: ContainerState): string[] {
  const reasons: string[] = [];
  if (d.privileged !== c.privileged) reasons.push(`privileged changed: ${c.privileged} → ${d.privileged}`);
  const pid = d.pidMode ?? "";
  if (pid !== c.pidMode) reasons.push(`pid_mode changed: ${c.pidMode || "default"} → ${pid || "default"}`);
  if (d.ipcMode && c.ipcMode !== undefined && d.ipcMode !== c.ipcMode) {
    reasons.push(`ipc_mode changed: ${c.ipcMode || "default"} → ${d.ipcMode}`);
  }
  const cgroupns = c.cgroupnsMode || "host";
  if (d.cgroupnsMode && d.cgroupnsMode !== cgroupns) reasons.push(`cgroupns_mode changed: ${cgroupns} → ${d.cgroupnsMode}`);
  return reasons;
}

/** Labels the image brings are not ours to compare (when the caller knows them). */
function compareLabels(d: ContainerSpec, c: ContainerState): string[] {
  const want = desiredLabels(d);
  const changed = Object.entries(want).filter(([k, v]) => c.labels[k] !== v).map(([k]) => k);
  return changed.length === 0 ? [] : [`labels changed: ${changed.join(", ")}`];
}

function compareDimensions(d: ContainerSpec, c: ContainerState): string[] {
  const dims = d.dimensions;
  const pairs: [string, number | string, number | string][] = [
    ["mem_limit", dims.memLimit ? sizeToBytes(dims.memLimit) : 0, c.memoryBytes],
    ["mem_reservation", dims.memReservation ? sizeToBytes(dims.memReservation) : 0, c.memoryReservationBytes],
    ["cpus", dims.cpus ? cpusToNano(dims.cpus) : 0, c.nanoCpus],
    ["cpuset_cpus", dims.cpusetCpus ?? "", c.cpusetCpus],
    ["cpu_shares", dims.cpuShares ?? 0, c.cpuShares],
  ];
  const changed = pairs.filter(([, want, have]) => want !== have).map(([key]) => key);
  if (ulimitKey(dims.ulimits ?? []) !== ulimitKey(c.ulimits)) changed.push("ulimits");
  return changed.length === 0 ? [] : [`dimensions changed: ${changed.join(", ")}`];
}

function ulimitKey(ulimits: readonly { name: string; soft: number; hard: number }[]): string {
  return ulimits
    .map((u) => `${normalizeUlimitName(u.name)}=${u.soft}:${u.hard}`)
    .sort()
    .join(",");
}

function compareCommand(d: ContainerSpec, c: ContainerState): string[] {
  if (d.command === undefined || d.command.trim() === "") return [];
  const want = splitCommand(d.command);
  return JSON.stringify(want) === JSON.stringify(c.command) ? [] : [`command changed: ${c.command.join(" ")} → ${want.join(" ")}`];
}

function compareHealthcheck(d: ContainerSpec, c: ContainerState): string[] {
  const want = healthcheckKey(d.healthcheck);
  return want === healthcheckKey(c.healthcheck) ? [] : ["healthcheck changed"];
}

function healthcheckKey(hc: Healthcheck | undefined): string {
  if (hc === undefined || isHealthcheckNone(hc)) return "none";
  return JSON.stringify([healthcheckTest(hc), hc.intervalSec, hc.timeoutSec, hc.retries, hc.startPeriodSec]);
}

function compareRunning(_d: ContainerSpec, c: ContainerState): string[] {
  return c.status === "running" ? [] : [`not running (${c.status || "unknown"})`];
}
