/**
 * The container engine's configuration files, as kolla's docker and podman roles build them. Pure.
 */
import type { BootstrapSettings } from "./types.js";

export const DOCKER_DAEMON_JSON = "/etc/docker/daemon.json";
/** kolla's podman role writes a drop-in, leaving the distribution's registries.conf alone. */
export const PODMAN_REGISTRIES_CONF = "/etc/containers/registries.conf.d/registries.conf";

export interface DockerDaemonInputs {
  readonly logMaxFile: string;
  readonly logMaxSize: string;
  readonly registry: string;
  readonly registryInsecure: boolean;
  readonly registryMirrors: readonly string[];
  readonly storageDriver: string;
  readonly runtimeDirectory: string;
  readonly disableIptables: boolean;
  readonly disableNetwork: boolean;
  readonly disableIpForward: boolean;
  readonly mtu: number | undefined;
  readonly custom: Readonly<Record<string, unknown>>;
}

/** kolla's docker_config: defaults, then each optional setting, then docker_custom_config on top (top-level keys replace). */
export function dockerDaemonConfig(i: DockerDaemonInputs): Record<string, unknown> {
  // daemon.json wants log-opts values as strings
  const config: Record<string, unknown> = { "log-opts": { "max-file": i.logMaxFile, "max-size": i.logMaxSize } };
  if (i.registryInsecure && i.registry !== "") config["insecure-registries"] = [i.registry];
  if (i.registryMirrors.length > 0) config["registry-mirrors"] = [...i.registryMirrors];
  if (i.storageDriver !== "") config["storage-driver"] = i.storageDriver;
  if (i.runtimeDirectory !== "") config["data-root"] = i.runtimeDirectory;
  if (i.disableIptables) config["iptables"] = false;
  if (i.disableNetwork) config["bridge"] = "none";
  if (i.disableIpForward) config["ip-forward"] = false;
  if (i.mtu !== undefined) config["mtu"] = i.mtu;
  return { ...config, ...i.custom };
}

/** Ansible's to_nice_json: keys sorted at every level, four-space indent, no trailing newline. */
export function toNiceJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 4);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

/** The podman registries drop-in, as kolla's template writes it. */
export function podmanRegistriesConf(registry: { location: string; insecure: boolean }): string {
  return `[[registry]]\nlocation = "${registry.location}"\ninsecure = ${registry.insecure ? "true" : "false"}\n`;
}

/** The engine config file the settings want, or undefined when the engine needs none. */
export function engineConfigFile(s: BootstrapSettings): { path: string; content: string } | undefined {
  if (s.engine === "docker") return { path: DOCKER_DAEMON_JSON, content: toNiceJson(s.dockerDaemon) };
  if (s.podmanRegistry === undefined) return undefined;
  return { path: PODMAN_REGISTRIES_CONF, content: podmanRegistriesConf(s.podmanRegistry) };
}

/** True when two daemon.json texts configure the same thing (formatting aside): only then may a restart be skipped. */
export function sameDaemonConfig(a: string, b: string): boolean {
  try {
    return JSON.stringify(sortKeys(JSON.parse(a))) === JSON.stringify(sortKeys(JSON.parse(b)));
  } catch {
    return false;
  }
}
