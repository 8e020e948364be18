/**
 * What has to change on one host: settings (what we want) against state (what one exec saw).
 * Pure: the same inputs always give the same plan, and a host that already matches gets none.
 */
import { DeployError } from "../errors.js";
import { DOCKER_DAEMON_JSON, sameDaemonConfig } from "./engine-config.js";
import { planFiles, wantedFiles, type FileContext } from "./files.js";
import type { AccountWork, BootstrapChange, BootstrapSettings, EngineWork, HostBootstrapPlan, HostBootstrapState } from "./types.js";

/** The binaries whose absence means the engine must be installed. */
export const ENGINE_BINARIES = { docker: ["docker", "dockerd"], podman: ["podman"] } as const;

function planInstall(host: string, s: BootstrapSettings, state: HostBootstrapState): HostBootstrapPlan["install"] {
  const binaries = ENGINE_BINARIES[s.engine];
  const missing = binaries.filter((b) => !state.binaries.has(b));
  if (missing.length === 0) return undefined;
  if (state.packageManager === undefined) {
    throw new DeployError("E_BOOTSTRAP_NO_PACKAGE_MANAGER", `${missing.join(", ")} missing and neither apt-get nor dnf found`, `install ${s.engine} on ${host} by hand, then run bootstrap-servers again`, { host });
  }
  return { manager: state.packageManager, packages: [s.enginePackage[state.packageManager]], binaries: [...binaries] };
}

function keyPresent(authorizedKeys: string, key: string): boolean {
  const [type, blob] = key.split(/\s+/);
  return authorizedKeys.split("\n").some((line) => {
    const fields = line.trim().split(/\s+/);
    const at = fields.indexOf(type ?? "");
    return at >= 0 && fields[at + 1] === blob;
  });
}

function planAccount(s: BootstrapSettings, state: HostBootstrapState): AccountWork | undefined {
  const u = s.kollaUser;
  if (u === undefined) return undefined;
  const wantedGroups = [...new Set([u.group, ...u.groups])];
  const createGroups = wantedGroups.filter((g) => !state.groupsPresent.has(g));
  const createUser = state.userGroups === undefined;
  const current = state.userGroups ?? [];
  const addToGroups = createUser ? [] : u.groups.filter((g) => !current.includes(g));
  const setPrimary = !createUser && current[0] !== u.group;
  const publicKey = u.publicKey !== undefined && !keyPresent(state.authorizedKeys, u.publicKey) ? u.publicKey : undefined;
  if (createGroups.length + addToGroups.length === 0 && !createUser && !setPrimary && publicKey === undefined) return undefined;
  return { user: u.user, group: u.group, groups: u.groups, createGroups, createUser, addToGroups: setPrimary ? [u.group, ...addToGroups] : addToGroups, publicKey };
}

function accountChanges(a: AccountWork | undefined): BootstrapChange[] {
  if (a === undefined) return [];
  const out: BootstrapChange[] = a.createGroups.map((g) => ({ kind: "account", action: "create", target: `group ${g}`, reason: "missing" }));
  const key = a.publicKey === undefined ? "" : "; authorized key kolla_ssh_key";
  if (a.createUser) {
    out.push({ kind: "account", action: "create", target: `user ${a.user}`, reason: `missing; groups ${[a.group, ...a.groups].join(", ")}${key}` });
    return out;
  }
  const missing = [
    ...(a.addToGroups.length > 0 ? [`not in ${a.addToGroups.join(", ")}`] : []),
    ...(a.publicKey !== undefined ? ["kolla_ssh_key not in authorized_keys"] : []),
  ];
  if (missing.length > 0) out.push({ kind: "account", action: "update", target: `user ${a.user}`, reason: missing.join("; ") });
  return out;
}

function planConfigDir(s: BootstrapSettings, state: HostBootstrapState): { dir: HostBootstrapPlan["configDir"]; change?: BootstrapChange } {
  const u = s.kollaUser;
  // without a kolla user, kolla only makes sure the directory exists with mode 755
  const dir = { path: s.configDir, ...(u === undefined ? {} : { owner: u.user, group: u.group }) };
  const seen = state.configDir;
  if (seen === undefined) return { dir, change: { kind: "directory", action: "create", target: s.configDir, reason: "missing" } };
  const problems: string[] = [];
  if (seen.mode !== 0o755) problems.push(`mode ${seen.mode.toString(8)}`);
  if (u !== undefined && (seen.owner !== u.user || seen.group !== u.group)) problems.push(`owner ${seen.owner}:${seen.group}`);
  if (problems.length === 0) return { dir: undefined };
  const want = `want 755${u === undefined ? "" : ` ${u.user}:${u.group}`}`;
  return { dir, change: { kind: "directory", action: "update", target: s.configDir, reason: `${problems.join(", ")}; ${want}` } };
}

/** Start after an install or when the daemon is down; restart only when its configuration really changed. */
function planEngine(s: BootstrapSettings, state: HostBootstrapState, installing: boolean, oldConfig: string | undefined, newConfig: string | undefined): { work: EngineWork; enable: boolean; changes: BootstrapChange[] } {
  if (s.engine !== "docker") return { work: "none", enable: false, changes: [] };
  const configChanged = newConfig !== undefined && (oldConfig === undefined || !sameDaemonConfig(oldConfig, newConfig));
  let work: EngineWork = "none";
  let reason = "";
  if (installing) [work, reason] = ["start", "just installed"];
  else if (!state.engineAnswers) [work, reason] = ["start", "the daemon does not answer"];
  else if (configChanged) [work, reason] = ["restart", `${DOCKER_DAEMON_JSON} changed`];
  const enable = state.systemd && !state.engineEnabled;
  const changes: BootstrapChange[] = work === "none" ? [] : [{ kind: "engine", action: work, target: "docker", reason }];
  if (enable) changes.push({ kind: "engine", action: "enable", target: "docker", reason: "not enabled at boot" });
  return { work, enable, changes };
}

export function planHost(host: string, s: BootstrapSettings, state: HostBootstrapState, ctx: FileContext): HostBootstrapPlan {
  const install = planInstall(host, s, state);
  const files = planFiles(host, wantedFiles(host, s, state, ctx), state, ctx.secrets);
  const account = planAccount(s, state);
  const configDir = planConfigDir(s, state);
  const newDaemon = files.changed.has(DOCKER_DAEMON_JSON) ? files.uploads.find((u) => u.path === DOCKER_DAEMON_JSON)?.content : undefined;
  const engine = planEngine(s, state, install !== undefined, state.files.get(DOCKER_DAEMON_JSON)?.content, newDaemon === undefined ? undefined : String(newDaemon));
  const installChanges: BootstrapChange[] = (install?.packages ?? []).map((p) => ({
    kind: "package", action: "install", target: p, reason: `${install!.binaries.filter((b) => !state.binaries.has(b)).join(", ")} not found`,
  }));
  return {
    host,
    changes: [...installChanges, ...files.changes, ...accountChanges(account), ...(configDir.change ? [configDir.change] : []), ...engine.changes],
    uploads: files.uploads,
    removals: files.removals,
    install,
    account,
    configDir: configDir.dir,
    engine: { name: s.engine, work: engine.work, enable: engine.enable, systemd: state.systemd },
  };
}
