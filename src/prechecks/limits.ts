/**
 * The hard rlimits a container of ours starts with, from what the probe read on the host: the
 * process the engine's containers inherit from (/proc/<pid>/limits), the engine's default ulimits
 * (daemon.json, containers.conf) and the container's own ulimits (its kolla dimensions). Pure.
 *
 * Why these sources: docker passes a ulimit to the runtime only when the container or daemon.json's
 * "default-ulimits" names it; otherwise runc inherits the limits of the containerd-shim, which
 * inherits containerd's (a child of dockerd when dockerd manages it). Rootful podman 4 leaves every
 * rlimit inherited from its caller only when no ulimit is configured at all; once any is (--ulimit,
 * containers.conf default_ulimits, or the built-in default nproc=pid_max), it sets nofile and nproc
 * it was not given to 1048576 (libpod's RLimitDefaultValue).
 */
import type { ComputeProbe, ContainerUlimit, HardLimits, QemuResource } from "./types.js";

/** Podman's nofile/nproc once any ulimit is configured (libpod/define RLimitDefaultValue). */
export const PODMAN_DEFAULT_RLIMIT = 1048576;

/** `/proc/<pid>/limits` → the hard open-files and processes limits; "unlimited" is null. */
export function parseProcLimits(text: string): HardLimits {
  const out: { nofile?: number | null; nproc?: number | null } = {};
  for (const line of text.split("\n")) {
    // "Max open files            1024                 524288               files"
    const m = /^Max (open files|processes)\s+(\S+)\s+(\S+)/.exec(line);
    if (m === null) continue;
    const hard = limitValue(m[3]!);
    if (hard === undefined) continue;
    out[m[1] === "open files" ? "nofile" : "nproc"] = hard;
  }
  return out;
}

/** "unlimited", "infinity" and negative numbers (docker/podman's -1) mean no limit. */
function limitValue(text: string): number | null | undefined {
  if (text === "unlimited" || text === "infinity") return null;
  const n = Number(text);
  if (!Number.isInteger(n)) return undefined;
  return n < 0 ? null : n;
}

/** `nofile`, `NOFILE`, podman's `RLIMIT_NOFILE` → `nofile`. */
export function ulimitName(name: string): string {
  return name.toLowerCase().replace(/^rlimit_/, "");
}

/** daemon.json's "default-ulimits": {"nofile": {"Name": "nofile", "Hard": 64000, "Soft": 64000}}. */
export function dockerDefaultUlimits(daemonJson: string): ContainerUlimit[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(daemonJson);
  } catch {
    return [];
  }
  const defaults = (parsed as Record<string, unknown> | null)?.["default-ulimits"];
  if (defaults === null || typeof defaults !== "object") return [];
  return Object.entries(defaults as Record<string, { Name?: unknown; Hard?: unknown }>).flatMap(([key, u]) => {
    const hard = limitValue(String(u?.Hard));
    return hard === undefined ? [] : [{ name: ulimitName(typeof u.Name === "string" ? u.Name : key), hard }];
  });
}

/**
 * containers.conf's `[containers] default_ulimits = ["nofile=soft:hard", ...]`, or undefined when
 * the file does not set it (a later file then keeps the earlier one's). A small reading of TOML:
 * whole-line comments, table headers and one (possibly multi-line) array of quoted strings.
 */
export function podmanDefaultUlimits(conf: string): ContainerUlimit[] | undefined {
  let table = "";
  const lines = conf.split("\n").filter((l) => !l.trim().startsWith("#"));
  for (let i = 0; i < lines.length; i++) {
    const header = /^\s*\[([^\][]+)\]\s*$/.exec(lines[i]!);
    if (header !== null) {
      table = header[1]!.trim();
      continue;
    }
    const m = /^\s*default_ulimits\s*=\s*\[(.*)$/.exec(lines[i]!);
    if (table !== "containers" || m === null) continue;
    let body = m[1]!;
    while (!body.includes("]") && i + 1 < lines.length) body += "\n" + lines[++i]!;
    const end = body.indexOf("]");
    const items = [...(end < 0 ? body : body.slice(0, end)).matchAll(/"([^"]*)"|'([^']*)'/g)].map((q) => q[1] ?? q[2]!);
    return items.flatMap((item) => parseUlimitFlag(item) ?? []);
  }
  return undefined;
}

/** `nofile=1024:2048` or `nofile=4096` (soft = hard), as --ulimit takes it. */
function parseUlimitFlag(item: string): ContainerUlimit | undefined {
  const m = /^\s*([A-Za-z_]+)=(-?\d+|unlimited)(?::(-?\d+|unlimited))?\s*$/.exec(item);
  if (m === null) return undefined;
  const hard = limitValue(m[3] ?? m[2]!);
  return hard === undefined ? undefined : { name: ulimitName(m[1]!), hard };
}

/**
 * podman 4.3's built-in default_ulimits (containers/common getDefaultProcessLimits): nproc = pid_max
 * when podman, running as the probe's root, may set its own nproc there, else 1048576, else none.
 */
export function podmanBuiltinUlimits(probe: ComputeProbe): ContainerUlimit[] {
  const shell = probe.limitSources[0];
  const hard = shell?.limits.nproc;
  const fits = (n: number) => shell?.canRaise === true || hard === null || (hard !== undefined && n <= hard);
  if (probe.pidMax !== undefined && fits(probe.pidMax)) return [{ name: "nproc", hard: probe.pidMax }];
  return fits(PODMAN_DEFAULT_RLIMIT) ? [{ name: "nproc", hard: PODMAN_DEFAULT_RLIMIT }] : [];
}

/** A container's hard limit for one resource, and where it comes from (for the message and hint). */
export interface EffectiveLimit {
  /** null: unlimited */
  readonly hard: number | null;
  /** e.g. "dockerd (pid 812)", "default-ulimits in /etc/docker/daemon.json" */
  readonly from: string;
  /** What to raise instead of lowering the qemu value. */
  readonly raise: string;
}

interface OwnUlimits {
  readonly ulimits: readonly ContainerUlimit[];
  /** the dimensions variable they come from */
  readonly variable: string;
}

const UNIT_KEY: Readonly<Record<QemuResource, string>> = { nofile: "LimitNOFILE=", nproc: "LimitNPROC=" };

/** The process's own limit, as inherited: containerd's when it runs (it starts docker's shims), else dockerd's / the shell's. */
function inherited(probe: ComputeProbe, resource: QemuResource): EffectiveLimit | undefined {
  const source = probe.limitSources.find((s) => s.limits[resource] !== undefined);
  if (source === undefined) return undefined;
  const shell = source.process === "shell";
  const from = shell ? `the probe's root shell (pid ${source.pid}), as podman's containers inherit it` : `${source.process} (pid ${source.pid})`;
  const raise = shell ? `root's hard ${resource} limit (limits.conf)` : `${source.process}'s hard ${resource} limit (${UNIT_KEY[resource]} in its systemd unit)`;
  return { hard: source.limits[resource]!, from, raise };
}

function docker(probe: ComputeProbe, resource: QemuResource): EffectiveLimit | undefined {
  for (const conf of probe.engineConfigs) {
    const found = dockerDefaultUlimits(conf.text).find((u) => u.name === resource);
    if (found !== undefined) return { hard: found.hard, from: `default-ulimits in ${conf.path}`, raise: `default-ulimits.${resource} in ${conf.path}` };
  }
  return inherited(probe, resource);
}

function podman(probe: ComputeProbe, resource: QemuResource, own: OwnUlimits): EffectiveLimit | undefined {
  // --ulimit replaces default_ulimits altogether; any ulimit makes podman set nofile and nproc itself.
  if (own.ulimits.length > 0) return { hard: PODMAN_DEFAULT_RLIMIT, from: `podman's default, as ${own.variable} sets other ulimits`, raise: `${resource} in the ulimits of ${own.variable}` };
  let list: ContainerUlimit[] | undefined;
  let from = "podman's built-in default_ulimits";
  for (const conf of probe.engineConfigs) {
    const found = podmanDefaultUlimits(conf.text);
    if (found !== undefined) [list, from] = [found, `default_ulimits in ${conf.path}`];
  }
  list ??= podmanBuiltinUlimits(probe);
  const raise = `${resource} in default_ulimits ([containers] of /etc/containers/containers.conf)`;
  const entry = list.find((u) => u.name === resource);
  if (entry !== undefined) return { hard: entry.hard, from, raise };
  if (list.length > 0) return { hard: PODMAN_DEFAULT_RLIMIT, from: `podman's default, as ${from} sets other ulimits`, raise };
  return inherited(probe, resource);
}

/**
 * The hard `resource` limit nova_libvirt (so libvirtd, and each qemu it starts) gets on this host;
 * undefined when the probe could not tell.
 */
export function containerHardLimit(engine: "docker" | "podman", resource: QemuResource, probe: ComputeProbe, own: OwnUlimits): EffectiveLimit | undefined {
  const mine = own.ulimits.find((u) => u.name === resource);
  if (mine !== undefined) return { hard: mine.hard, from: `ulimits in ${own.variable}`, raise: `${resource} in the ulimits of ${own.variable}` };
  return engine === "docker" ? docker(probe, resource) : podman(probe, resource, own);
}
