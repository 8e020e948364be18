/**
 * Verdicts: a host's probe against its expectations, one CheckOutcome per check, each problem a
 * one-line DeployError naming the host, what is wrong and a hint. Pure.
 */
import { DeployError } from "../errors.js";
import { checkCompute } from "./compute.js";
import { compareVersions, isLoopback, isWildcard, parseEngineVersion } from "./parse.js";
import type { CheckOutcome, HostCheck, HostExpectations, HostProbe, Listener, PortNeed } from "./types.js";

/** kolla's docker_version_min (prechecks vars/main.yml); podman 4 is the first with the API kolla uses. */
export const MIN_ENGINE_VERSION = {
  docker: { parts: [18, 9], shown: "18.09" },
  podman: { parts: [4, 0], shown: "4.0" },
} as const;

/** What other hosts' probes tell about this one's checks. */
export interface ClusterView {
  /** A host where our keepalived container runs, if any. */
  readonly keepalivedOn?: string;
}

function outcome(check: HostCheck, problems: DeployError[], note: string): CheckOutcome {
  return { check, status: problems.length === 0 ? "ok" : "fail", note: problems.length === 0 ? note : "", problems };
}

const notApplicable = (check: HostCheck, note = ""): CheckOutcome => ({ check, status: "n/a", note, problems: [] });

export function checkSudo(host: string, probe: HostProbe): CheckOutcome {
  if (probe.sudoError !== undefined) {
    return outcome("sudo", [new DeployError("E_PRECHECK_SUDO", probe.sudoError.message, probe.sudoError.hint, { host })], "");
  }
  const { user, sudoUser } = probe.identity;
  return outcome("sudo", [], sudoUser !== "" ? `sudo -n works for ${sudoUser}` : `runs as ${user || "?"}, no sudo needed`);
}

export function checkEngine(host: string, exp: HostExpectations, probe: HostProbe): CheckOutcome {
  const engine = exp.engine;
  const fail = (message: string, hint: string) => outcome("engine", [new DeployError("E_PRECHECK_ENGINE", message, hint, { host })], "");
  const min = MIN_ENGINE_VERSION[engine].shown;
  if (probe.engineVersion.code !== 0) {
    const said = firstLine(probe.engineVersion.output) || `exit ${probe.engineVersion.code}`;
    return fail(`${engine} is not installed (${engine} --version: ${said})`, `install ${engine} ${min} or newer (kolla-ansible bootstrap-servers does), or set kolla_container_engine`);
  }
  const version = parseEngineVersion(probe.engineVersion.output);
  if (version === undefined) return fail(`cannot read the ${engine} version from "${firstLine(probe.engineVersion.output)}"`, `check that ${engine} --version works on ${host}`);
  const shown = version.join(".");
  if (compareVersions(version, MIN_ENGINE_VERSION[engine].parts) < 0) return fail(`${engine} ${shown} is older than the minimum ${min}`, `upgrade ${engine} to ${min} or newer`);
  // Without sudo, a docker daemon refusing a non-root user says nothing about the daemon itself.
  if (probe.sudoError === undefined && !probe.engineInfo.answers) {
    return fail(`${engine} ${shown} is installed but does not answer (${probe.engineInfo.error || `${engine} info failed`})`, `start the ${engine} service on ${host}`);
  }
  return outcome("engine", [], `${engine} ${shown}`);
}

export function checkDisk(host: string, exp: HostExpectations, probe: HostProbe): CheckOutcome {
  const root = probe.engineInfo.root || "the engine's data root";
  if (probe.diskFreeKb === undefined) {
    return outcome("disk", [new DeployError("E_PRECHECK_DISK", `cannot read the free space under ${root}`, `check that df works on ${host}`, { host })], "");
  }
  const freeGb = probe.diskFreeKb / (1024 * 1024);
  const shown = `${freeGb.toFixed(1)} GiB free under ${root}`;
  if (freeGb < exp.minDiskGb) {
    const hint = `free space or grow the filesystem (images need it); prechecks_min_disk_gb sets the threshold`;
    return outcome("disk", [new DeployError("E_PRECHECK_DISK", `only ${shown}, below prechecks_min_disk_gb=${exp.minDiskGb}`, hint, { host })], "");
  }
  return outcome("disk", [], shown);
}

/** Link-local IPv6 addresses are on every up interface and say nothing about configuration. */
const usableAddress = (address: string) => !address.toLowerCase().startsWith("fe80:");

export function checkInterfaces(host: string, exp: HostExpectations, probe: HostProbe): CheckOutcome {
  const problems = exp.configProblems.filter((p) => p.code === "E_PRECHECK_INTERFACE");
  const byIface = new Map<string, { variables: string[]; needsAddress: boolean; origin?: string }>();
  for (const need of exp.interfaces) {
    const entry = byIface.get(need.iface) ?? { variables: [], needsAddress: false, ...(need.origin === undefined ? {} : { origin: need.origin }) };
    if (!entry.variables.includes(need.variable)) entry.variables.push(need.variable);
    entry.needsAddress ||= need.needsAddress;
    byIface.set(need.iface, entry);
  }
  const existing = probe.links.map((l) => l.name);
  for (const [iface, { variables, needsAddress, origin }] of byIface) {
    const named = `${iface} (${variables.join(", ")})`;
    const setHint = `set ${variables[0]}${origin === undefined ? "" : ` (${origin})`} to an interface that exists on ${host}, or override it for this host in host_vars`;
    const link = probe.links.find((l) => l.name === iface);
    const err = (message: string, hint: string) => problems.push(new DeployError("E_PRECHECK_INTERFACE", message, hint, { host }));
    if (link === undefined) err(`interface ${named} does not exist on ${host} (it has: ${existing.join(", ") || "none"})`, setHint);
    else if (!link.up) err(`interface ${named} is down on ${host}`, `bring it up (ip link set ${iface} up) or ${setHint}`);
    else if (needsAddress && !(probe.addresses[iface] ?? []).some(usableAddress)) {
      err(`interface ${named} has no IP address on ${host}`, `configure an address on ${iface}, or ${setHint}`);
    }
  }
  return outcome("interfaces", problems, [...byIface.keys()].join(", "));
}

export function checkVip(host: string, exp: HostExpectations, probe: HostProbe, cluster: ClusterView): CheckOutcome {
  const configProblems = exp.configProblems.filter((p) => p.code === "E_PRECHECK_VIP");
  if (configProblems.length > 0) return outcome("vip", [...configProblems], "");
  if (exp.vips.length === 0) return notApplicable("vip");
  if (cluster.keepalivedOn !== undefined) return outcome("vip", [], `keepalived runs on ${cluster.keepalivedOn}`);
  const problems: DeployError[] = [];
  const hint = (variable: string) => `${variable} must be an unused address that only keepalived will hold: pick a free one, or release it`;
  for (const vip of exp.vips) {
    const iface = Object.entries(probe.addresses).find(([, addrs]) => addrs.includes(vip.address))?.[0];
    if (iface !== undefined) {
      problems.push(new DeployError("E_PRECHECK_VIP", `VIP ${vip.address} (${vip.variable}) is already assigned to ${iface} on ${host}, and no keepalived of ours runs`, hint(vip.variable), { host }));
    } else if (probe.vipAnswers?.[vip.address] === true) {
      problems.push(new DeployError("E_PRECHECK_VIP", `VIP ${vip.address} (${vip.variable}) answers ping from ${host} before keepalived runs`, hint(vip.variable), { host }));
    }
  }
  const pinged = exp.pingVips.length > 0 ? (probe.vipAnswers === undefined ? "no ping tool, addresses checked" : "not answering") : "not assigned here";
  return outcome("vip", problems, pinged);
}

function conflicts(need: PortNeed, listeners: readonly Listener[]): Listener[] {
  return listeners.filter(
    (l) => l.port === need.port && (isWildcard(l.address) || l.address === need.bindAddress || (need.bindAddress === undefined && !isLoopback(l.address))),
  );
}

export function checkPorts(host: string, exp: HostExpectations, probe: HostProbe): CheckOutcome {
  if (exp.ports.length === 0) return notApplicable("ports");
  if (probe.listeners === undefined) {
    return outcome("ports", [new DeployError("E_PRECHECK_PORT", `cannot list listening sockets on ${host}`, "install iproute2 (ss) on the host", { host })], "");
  }
  const running = new Set(probe.running ?? []);
  // A port one of our running containers needs is rightly taken (kolla skips the check when the container runs).
  const ours = new Set(exp.ports.filter((n) => running.has(n.container)).map((n) => n.port));
  const checked = exp.ports.filter((n) => !ours.has(n.port));
  const taken = new Map<number, { labels: string[]; by: Listener[] }>();
  for (const need of checked) {
    const by = conflicts(need, probe.listeners);
    if (by.length === 0) continue;
    const entry = taken.get(need.port) ?? { labels: [], by };
    entry.labels.push(`${need.label} of ${need.container}`);
    taken.set(need.port, entry);
  }
  const problems = [...taken].map(([port, { labels, by }]) => portTaken(host, port, labels, by));
  return outcome("ports", problems, `${checked.length} free${ours.size > 0 ? `, ${ours.size} held by our containers` : ""}`);
}

function portTaken(host: string, port: number, labels: readonly string[], by: readonly Listener[]): DeployError {
  const holders = by.map((l) => `${l.process ?? "a process"} listening on ${l.address.includes(":") ? `[${l.address}]` : l.address}:${port}`).join(", ");
  const hint = `stop what listens on ${port} on ${host} (it is not our container), or move the service to another port`;
  return new DeployError("E_PRECHECK_PORT", `port ${port} (${labels.join("; ")}) is already taken by ${holders}`, hint, { host });
}

/** Every host check, in table order. */
export function evaluateHost(exp: HostExpectations, probe: HostProbe, cluster: ClusterView): CheckOutcome[] {
  const host = exp.host;
  return [
    checkSudo(host, probe),
    checkEngine(host, exp, probe),
    checkDisk(host, exp, probe),
    checkInterfaces(host, exp, probe),
    checkVip(host, exp, probe, cluster),
    checkPorts(host, exp, probe),
    checkCompute(host, exp, probe),
  ];
}

/** Where our keepalived runs, from every probed host's running containers. */
export function clusterView(probes: ReadonlyMap<string, HostProbe>, keepalivedContainer: string | undefined): ClusterView {
  if (keepalivedContainer === undefined) return {};
  const on = [...probes].find(([, probe]) => probe.running?.includes(keepalivedContainer))?.[0];
  return on === undefined ? {} : { keepalivedOn: on };
}

function firstLine(text: string): string {
  return text.split("\n")[0]?.trim() ?? "";
}
