/**
 * The files bootstrap-servers manages on a host, their wanted content, and how they differ from
 * what the gather exec read. Pure.
 */
import { DeployError } from "../errors.js";
import type { FileUpload } from "../exec/types.js";
import { redactSecrets as redact } from "../redact.js";
import { unifiedDiff } from "../plan/udiff.js";
import { editEtcHosts } from "./etc-hosts.js";
import { engineConfigFile, DOCKER_DAEMON_JSON, PODMAN_REGISTRIES_CONF } from "./engine-config.js";
import { podmanNetworkFiles, PODMAN_CNI_DEFAULT_NETWORK, PODMAN_NETAVARK_DEFAULT_NETWORK } from "./podman-network.js";
import type { BootstrapChange, BootstrapSettings, HostBootstrapState, KollaUserSettings, PackageManager, RemoteText } from "./types.js";

export const ETC_HOSTS = "/etc/hosts";
export const APT_SOURCES_LIST = "/etc/apt/sources.list.d/kolla-deploy.list";
export const YUM_REPO_FILE = "/etc/yum.repos.d/kolla-deploy.repo";
export const SUDOERS_FILE = "/etc/sudoers.d/kolla-ansible-users";
export const CLOUD_INIT_FILE = "/etc/cloud/cloud.cfg.d/99-kolla.cfg";

/** Every path the gather exec reads, whatever the settings (a file to remove must be seen too). */
export const MANAGED_FILES = [
  DOCKER_DAEMON_JSON,
  PODMAN_REGISTRIES_CONF,
  PODMAN_NETAVARK_DEFAULT_NETWORK,
  PODMAN_CNI_DEFAULT_NETWORK,
  ETC_HOSTS,
  APT_SOURCES_LIST,
  YUM_REPO_FILE,
  SUDOERS_FILE,
  CLOUD_INIT_FILE,
];

export interface WantedFile {
  readonly path: string;
  readonly content: string;
  readonly mode: number;
}

export interface FileContext {
  readonly shortHostname: string;
  readonly hostsBlock: readonly string[];
  readonly secrets: readonly string[];
}

function yumRepo(baseurl: string, gpgkey: string): string {
  const check = gpgkey === "" ? ["gpgcheck=0"] : ["gpgcheck=1", `gpgkey=${gpgkey}`];
  return ["[kolla-deploy]", "name=kolla-deploy container engine packages", `baseurl=${baseurl}`, "enabled=1", ...check, ""].join("\n");
}

/** lineinfile with `regexp: ^<user>`: the last matching line is replaced, or the line is appended. */
export function sudoersContent(current: string | undefined, user: KollaUserSettings): string {
  const line = `${user.user} ALL=(ALL) NOPASSWD: ALL`;
  const lines = current === undefined || current === "" ? [] : current.replace(/\n$/, "").split("\n");
  const matches = lines.flatMap((l, i) => (l.startsWith(user.user) ? [i] : []));
  if (matches.length === 0) lines.push(line);
  else lines[matches[matches.length - 1]!] = line;
  return lines.join("\n") + "\n";
}

/** What each managed file should contain on this host; a path that is absent here should not exist. */
export function wantedFiles(host: string, s: BootstrapSettings, state: HostBootstrapState, ctx: FileContext): WantedFile[] {
  const out: WantedFile[] = [];
  const engineFile = engineConfigFile(s);
  if (engineFile !== undefined) out.push({ ...engineFile, mode: 0o644 });
  out.push(...podmanFiles(host, s, state));
  if (s.customizeEtcHosts) {
    const current = state.files.get(ETC_HOSTS);
    out.push({ path: ETC_HOSTS, content: editEtcHosts(current?.content ?? "", ctx.shortHostname, ctx.hostsBlock), mode: current?.mode ?? 0o644 });
    if (state.cloudInit) out.push({ path: CLOUD_INIT_FILE, content: "manage_etc_hosts: false", mode: 0o660 });
  }
  const manager: PackageManager | undefined = state.packageManager;
  if (manager === "apt" && s.aptSources.length > 0) out.push({ path: APT_SOURCES_LIST, content: s.aptSources.join("\n") + "\n", mode: 0o644 });
  if (manager === "dnf" && s.yumRepo.baseurl !== "") out.push({ path: YUM_REPO_FILE, content: yumRepo(s.yumRepo.baseurl, s.yumRepo.gpgkey), mode: 0o644 });
  if (s.kollaUser?.sudoers === true) {
    out.push({ path: SUDOERS_FILE, content: sudoersContent(state.files.get(SUDOERS_FILE)?.content, s.kollaUser), mode: 0o640 });
  }
  return out;
}

/** docker_mtu on a podman host: its default network's definition files (none when docker_mtu is unset: existing ones are left alone). */
function podmanFiles(host: string, s: BootstrapSettings, state: HostBootstrapState): WantedFile[] {
  if (s.engine !== "podman" || s.podmanMtu === undefined) return [];
  try {
    return podmanNetworkFiles(s.podmanMtu, (path) => state.files.get(path)?.content, state.packageManager === "apt").map((f) => ({ ...f, mode: 0o644 }));
  } catch (error) {
    if (error instanceof DeployError) throw new DeployError(error.code, error.message, error.hint, { host });
    throw error;
  }
}

/** Files nobody wants any more that an earlier run wrote (a source list after the variable was emptied). */
export function staleFiles(wanted: readonly WantedFile[], state: HostBootstrapState): string[] {
  const ours = [APT_SOURCES_LIST, YUM_REPO_FILE];
  return ours.filter((p) => state.files.has(p) && !wanted.some((w) => w.path === p));
}

function reasonFor(current: RemoteText | undefined, want: WantedFile): string | undefined {
  if (current === undefined) return "missing";
  if (current.content !== want.content) return "content differs";
  if (current.mode !== want.mode || current.owner !== "root" || current.group !== "root") {
    return `mode/owner ${current.mode.toString(8)} ${current.owner}:${current.group}, want ${want.mode.toString(8)} root:root`;
  }
  return undefined;
}

export interface FilePlan {
  readonly uploads: FileUpload[];
  readonly removals: string[];
  readonly changes: BootstrapChange[];
  /** paths whose content changes (not only mode) */
  readonly changed: ReadonlySet<string>;
}

export function planFiles(host: string, wanted: readonly WantedFile[], state: HostBootstrapState, secrets: readonly string[]): FilePlan {
  const changed = new Set<string>();
  const plan: FilePlan = { uploads: [], removals: [], changes: [], changed };
  for (const want of wanted) {
    const current = state.files.get(want.path);
    const reason = reasonFor(current, want);
    if (reason === undefined) continue;
    plan.uploads.push({ path: want.path, content: want.content, mode: want.mode, owner: "root", group: "root" });
    if (current?.content !== want.content) changed.add(want.path);
    const names = { oldName: `${host}:${want.path}`, newName: `${host}:${want.path}` };
    const diff = current?.content === want.content ? undefined : redact(unifiedDiff(current?.content, want.content, names), secrets);
    plan.changes.push({ kind: "file", action: current === undefined ? "create" : "update", target: want.path, reason, ...(diff === undefined ? {} : { diff }) });
  }
  for (const path of staleFiles(wanted, state)) {
    plan.removals.push(path);
    plan.changes.push({ kind: "file", action: "remove", target: path, reason: "no longer configured" });
  }
  return plan;
}
