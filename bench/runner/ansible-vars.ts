/**
 * kolla-deploy's desired state → the Ansible equivalent's inputs: each host's rendered files under
 * <dir>/rendered/<host>/ and host_vars/<host>.yml with kd_files (copy) and kd_containers
 * (community.docker.docker_container parameters: the same options bin/kolla-deploy passes to `run`).
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { desiredEnvironment, desiredLabels, healthcheckTest, isHealthcheckNone, parseVolume, splitCommand } from "../../src/engine/normalize.js";
import type { ContainerSpec } from "../../src/engine/types.js";
import type { ExportedHost } from "./export-desired.js";

function stringValues(record: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, String(v)]));
}

export function dockerContainerParams(spec: ContainerSpec): Record<string, unknown> {
  const p: Record<string, unknown> = {
    name: spec.name,
    image: spec.image,
    network_mode: "host",
    // strings, as the CLI passes them (`--env K=true`); docker_container refuses bare YAML booleans
    env: stringValues(desiredEnvironment(spec)),
    labels: stringValues(desiredLabels(spec)),
    volumes: spec.volumes.filter((v) => parseVolume(v) !== undefined).map((v) => v.trim()),
    privileged: spec.privileged,
    restart_policy: spec.restartPolicy || "no",
  };
  if (spec.command !== undefined && spec.command.trim() !== "") p.command = splitCommand(spec.command);
  if (spec.pidMode) p.pid_mode = spec.pidMode;
  if (spec.ipcMode) p.ipc_mode = spec.ipcMode;
  if (spec.cgroupnsMode) p.cgroupns_mode = spec.cgroupnsMode;
  if (spec.capAdd.length > 0) p.capabilities = [...spec.capAdd];
  if (spec.securityOpt.length > 0) p.security_opts = [...spec.securityOpt];
  if (spec.tmpfs.length > 0) p.tmpfs = [...spec.tmpfs];
  if (spec.restartPolicy === "on-failure" && spec.restartRetries !== undefined) p.restart_retries = spec.restartRetries;
  const hc = spec.healthcheck;
  if (hc !== undefined) {
    p.healthcheck = isHealthcheckNone(hc)
      ? { test: ["NONE"] }
      : { test: [...healthcheckTest(hc)], interval: `${hc.intervalSec}s`, timeout: `${hc.timeoutSec}s`, retries: hc.retries, start_period: `${hc.startPeriodSec}s` };
  }
  const d = spec.dimensions;
  if (d.ulimits !== undefined && d.ulimits.length > 0) p.ulimits = d.ulimits.map((u) => `${u.name}:${u.soft}:${u.hard}`);
  if (d.memLimit) p.memory = d.memLimit;
  if (d.memReservation) p.memory_reservation = d.memReservation;
  if (d.cpus) p.cpus = Number(d.cpus);
  if (d.cpusetCpus) p.cpuset_cpus = d.cpusetCpus;
  if (d.cpuShares) p.cpu_shares = d.cpuShares;
  return p;
}

export function writeAnsibleVars(dir: string, hosts: ReadonlyMap<string, ExportedHost>): void {
  rmSync(join(dir, "rendered"), { recursive: true, force: true });
  rmSync(join(dir, "host_vars"), { recursive: true, force: true });
  mkdirSync(join(dir, "host_vars"), { recursive: true });
  for (const [host, desired] of hosts) {
    const files = desired.files.map((f) => {
      const src = join(dir, "rendered", host, f.path);
      mkdirSync(dirname(src), { recursive: true });
      writeFileSync(src, f.content);
      return { src, dest: f.path, mode: `0${f.mode.toString(8)}`, owner: f.owner, group: f.group, container: f.container };
    });
    const vars = { kd_files: files, kd_containers: desired.containers.map(dockerContainerParams) };
    // JSON (a YAML subset) so every string stays a string: Ansible reads YAML 1.1, where yes/no are booleans
    writeFileSync(join(dir, "host_vars", `${host}.yml`), JSON.stringify(vars, null, 1));
  }
}
