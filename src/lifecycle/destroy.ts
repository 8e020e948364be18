/**
 * `destroy`: removes, on the selected hosts, every container the selected roles define (enabled
 * or not, as kolla's destroy removes everything), their named volumes, the config directories
 * and the host record; with --include-images their images too; and what neutron's agents left in
 * the host's network stack. A host whose nova_libvirt still runs guests is refused (kolla's rule).
 * Two execs per host: one to look, one to remove (plus a record rewrite when only some roles go).
 */
import type { Limiter } from "../limit.js";
import type { Prepared } from "../apply/prepare.js";
import type { Progress } from "../apply/progress.js";
import { inspectContainers, inspectImages } from "../engine/ops.js";
import { DeployError } from "../errors.js";
import { composeQueries } from "../exec/compose.js";
import type { Command } from "../exec/types.js";
import type { TransportPool } from "../exec/pool.js";
import { parseHostRecord, serializeRecord, STATE_FILE } from "../plan/record.js";
import { hostRunner, onEveryHost, type HostResult } from "../apply/fanout.js";
import { allContainerNames, mappedServices, orWhenUnrenderable, ServiceRenderer, unique } from "./check-targets.js";
import { neutronHostCleanup, parseRunningGuests, runningGuestsQuery, type RunningGuest } from "./destroy-host-cleanup.js";
import { classifyRemoval, destroyQueries, parseLines, planDestroy, removalCommands, stopCommands, type DestroyFound, type DestroyScope, type Removal } from "./destroy-plan.js";

export interface HostDestroy {
  readonly removed: Readonly<Record<Removal["kind"], readonly string[]>>;
  /** volumes/images another container still uses (another role's, with --tags) */
  readonly kept: readonly string[];
  /** what neutron's agents had left on the host: "netns qrouter-…", "link brq…" */
  readonly cleaned: readonly string[];
  readonly errors: readonly DeployError[];
}

export interface DestroyEnv {
  readonly p: Prepared;
  readonly pool: TransportPool;
  readonly forks: Limiter;
  readonly progress: Progress;
  readonly includeImages: boolean;
}

/** The roles' view of one host: what could be there. Templates of disabled services may not render; skip those. */
export function destroyScope(p: Prepared, host: string, renderer = new ServiceRenderer(p)): DestroyScope {
  const mapped = mappedServices(p, p.roles, host);
  const base = String(p.config.varsFor(host)["node_config_directory"] ?? "/etc/kolla");
  return {
    containers: allContainerNames(p.roles),
    volumes: unique(mapped.flatMap((hs) => orWhenUnrenderable(() => renderer.namedVolumes(host, hs), []))),
    dirs: unique(p.roles.flatMap((r) => r.services.map((s) => `${base}/${s.key}`))),
    images: unique(mapped.flatMap((hs) => orWhenUnrenderable(() => [renderer.image(host, hs)], []))),
    roleNames: p.roles.map((r) => r.name),
    wholeRecord: p.roles.length === p.allRoles.length,
  };
}

export function destroyHosts(env: DestroyEnv): Promise<HostResult<HostDestroy>[]> {
  const renderer = new ServiceRenderer(env.p);
  const scopes = new Map(env.p.hosts.map((h) => [h, destroyScope(env.p, h, renderer)]));
  return onEveryHost(env.p.hosts, env.forks, (host) => destroyOnHost(env, host, scopes.get(host)!));
}

async function gather(env: DestroyEnv, host: string, scope: DestroyScope): Promise<DestroyFound & { guests: RunningGuest[] }> {
  const run = hostRunner(env.pool, host, env.p.secrets);
  const queries = [...destroyQueries(env.p.driver, scope, env.includeImages), runningGuestsQuery()].map((c) => ({ ...c, become: true }));
  const composed = composeQueries(queries);
  const [containers, volumes, dirs, images, record, guests] = composed.split(await run(composed.command));
  if (volumes!.code !== 0) {
    throw new DeployError("E_ENGINE_COMMAND", `listing volumes: ${parseLines(volumes!.stderr)[0] ?? `exit code ${volumes!.code}`}`, "is the container engine running on that host?", { host });
  }
  const presentImages = env.includeImages && scope.images.length > 0 ? await inspectImages(async () => images!, env.p.driver, scope.images) : new Map();
  return {
    containers: await inspectContainers(async () => containers!, env.p.driver, scope.containers),
    volumes: parseLines(volumes!.stdout),
    dirs: parseLines(dirs!.stdout),
    images: [...presentImages.keys()],
    record: record!.code === 0 ? parseHostRecord(record!.stdout) : undefined,
    guests: parseRunningGuests(guests!),
  };
}

/** kolla's cleanup-containers refuses too: the engine cannot stop nova_libvirt cleanly with guests, and their qemu would outlive it. */
function refuseRunningGuests(host: string, containers: readonly string[], guests: readonly RunningGuest[]): void {
  if (guests.length === 0 || !containers.includes("nova_libvirt")) return;
  const names = guests.map((g) => `${g.domain} (qemu pid ${g.pid})`).join(", ");
  throw new DeployError(
    "E_DESTROY_GUESTS",
    `${guests.length} guest(s) still run under nova_libvirt: ${names}`,
    "delete the servers first (openstack server delete), or stop them with virsh in nova_libvirt, then run destroy again",
    { host },
  );
}

async function destroyOnHost(env: DestroyEnv, host: string, scope: DestroyScope): Promise<HostDestroy> {
  const started = Date.now();
  env.progress.step(host, "destroy");
  const found = await gather(env, host, scope);
  const plan = planDestroy(scope, found, env.includeImages);
  refuseRunningGuests(host, plan.containers, found.guests);
  const cleanup = scope.roleNames.includes("neutron") ? [neutronHostCleanup()] : [];
  const result = await remove(env, host, stopCommands(env.p.driver, plan), removalCommands(env.p.driver, plan), cleanup);
  if (plan.record !== undefined && plan.record !== "remove") {
    await env.pool.get(host).putFiles([{ path: STATE_FILE, content: serializeRecord(plan.record), mode: 0o600, owner: "root", group: "root" }], { become: true });
  }
  const what = `destroy: ${result.removed.container.length} container(s), ${result.removed.volume.length} volume(s), ${result.removed.dir.length} config dir(s)`;
  if (result.errors.length > 0) env.progress.failed(host, what, result.errors[0]!.oneLine());
  else env.progress.done(host, what, Date.now() - started);
  return result;
}

/**
 * One exec: the graceful stops (their answers are not judged: removal follows anyway), the removals,
 * then the host cleanup (after the agents are gone, so none of them re-creates what it removes).
 */
async function remove(env: DestroyEnv, host: string, stops: readonly Command[], removals: readonly Removal[], cleanup: readonly Command[]): Promise<HostDestroy> {
  const removed: Record<Removal["kind"], string[]> = { container: [], volume: [], dir: [], record: [], image: [] };
  const kept: string[] = [];
  const errors: DeployError[] = [];
  if (removals.length === 0 && cleanup.length === 0) return { removed, kept, cleaned: [], errors };
  const composed = composeQueries([...stops, ...removals.map((r) => r.command), ...cleanup].map((c) => ({ ...c, become: true })));
  const all = composed.split(await hostRunner(env.pool, host, env.p.secrets)(composed.command));
  const results = all.slice(stops.length, stops.length + removals.length);
  const cleaned = all.slice(stops.length + removals.length).flatMap((r) => parseLines(r.stdout));
  removals.forEach((r, i) => {
    const verdict = classifyRemoval(results[i]!);
    if (verdict === "removed") removed[r.kind].push(r.name);
    else if (verdict === "in use") kept.push(`${r.kind} ${r.name}`);
    else if (verdict === "failed") errors.push(removalError(host, r, results[i]!.stderr));
  });
  return { removed, kept, cleaned, errors };
}

function removalError(host: string, r: Removal, stderr: string): DeployError {
  const said = parseLines(stderr)[0] ?? "no message";
  return new DeployError("E_DESTROY", `removing ${r.kind} ${r.name}: ${said}`, "see the engine's message; run destroy again once it is fixed", { host });
}
