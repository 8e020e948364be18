/**
 * ContainerSpec → the options of `<engine> run` (pure). docker and podman take the same flags
 * for everything kolla uses (checked on docker 20.10 and podman 4.3), so both drivers share this.
 */
import { desiredEnvironment, desiredLabels, healthcheckTest, isHealthcheckNone, parseVolume, splitCommand } from "./normalize.js";
import type { ContainerSpec, Dimensions, Healthcheck } from "./types.js";

/** Every option of `run` for this spec, up to and including the image and its command. */
export function buildRunOptions(spec: ContainerSpec): string[] {
  return [
    "--name",
    spec.name,
    "--network",
    "host",
    ...namespaceArgs(spec),
    ...repeat("--cap-add", spec.capAdd),
    ...repeat("--security-opt", spec.securityOpt),
    ...repeat("--tmpfs", spec.tmpfs),
    ...envArgs(spec),
    ...labelArgs(spec),
    ...volumeArgs(spec.volumes),
    ...healthcheckArgs(spec.healthcheck),
    ...dimensionArgs(spec.dimensions),
    ...restartArgs(spec),
    spec.image,
    ...(spec.command === undefined || spec.command.trim() === "" ? [] : splitCommand(spec.command)),
  ];
}

function repeat(flag: string, values: readonly string[]): string[] {
  return values.flatMap((v) => [flag, v]);
}

function namespaceArgs(spec: ContainerSpec): string[] {
  const args: string[] = [];
  if (spec.privileged) args.push("--privileged");
  if (spec.pidMode) args.push("--pid", spec.pidMode);
  if (spec.ipcMode) args.push("--ipc", spec.ipcMode);
  if (spec.cgroupnsMode) args.push("--cgroupns", spec.cgroupnsMode);
  return args;
}

function envArgs(spec: ContainerSpec): string[] {
  return Object.entries(desiredEnvironment(spec)).flatMap(([k, v]) => ["--env", `${k}=${v}`]);
}

function labelArgs(spec: ContainerSpec): string[] {
  return Object.entries(desiredLabels(spec)).flatMap(([k, v]) => ["--label", `${k}=${v}`]);
}

/** Empty entries (kolla renders disabled optional volumes as "") are dropped. */
function volumeArgs(volumes: readonly string[]): string[] {
  return volumes.filter((v) => parseVolume(v) !== undefined).flatMap((v) => ["--volume", v.trim()]);
}

function healthcheckArgs(hc: Healthcheck | undefined): string[] {
  if (hc === undefined) return [];
  if (isHealthcheckNone(hc)) return ["--no-healthcheck"];
  const test = healthcheckTest(hc);
  return [
    "--health-cmd",
    test[1] ?? "",
    "--health-interval",
    `${hc.intervalSec}s`,
    "--health-timeout",
    `${hc.timeoutSec}s`,
    "--health-retries",
    String(hc.retries),
    "--health-start-period",
    `${hc.startPeriodSec}s`,
  ];
}

function dimensionArgs(d: Dimensions): string[] {
  const args = (d.ulimits ?? []).flatMap((u) => ["--ulimit", `${u.name}=${u.soft}:${u.hard}`]);
  if (d.memLimit) args.push("--memory", d.memLimit);
  if (d.memReservation) args.push("--memory-reservation", d.memReservation);
  if (d.cpus) args.push("--cpus", d.cpus);
  if (d.cpusetCpus) args.push("--cpuset-cpus", d.cpusetCpus);
  if (d.cpuShares) args.push("--cpu-shares", String(d.cpuShares));
  return args;
}

function restartArgs(spec: ContainerSpec): string[] {
  const policy = spec.restartPolicy || "no";
  if (policy === "on-failure" && spec.restartRetries !== undefined) return ["--restart", `on-failure:${spec.restartRetries}`];
  return ["--restart", policy];
}
