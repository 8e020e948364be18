/**
 * Builds the plan: one gather exec per host (all hosts at once; none for hosts whose gather rode
 * in the lock's acquire exec), then desired state and diffs
 * computed locally, then — only for hosts with changed files — one more exec to fetch the old
 * contents for the diffs. Nothing here changes a host.
 */
import type { Limiter } from "../limit.js";
import type { Config } from "../config/index.js";
import { DeployError } from "../errors.js";
import type { TransportPool } from "../exec/pool.js";
import { composeQueries } from "../exec/compose.js";
import { desiredForHost, type DesiredHost, type DesiredInputs } from "../plan/desired.js";
import { LookupWithout, sharedFileChanges } from "../plan/limit-shared.js";
import { diffHost } from "../plan/diff.js";
import type { HostState } from "../plan/gather.js";
import { gatherQuery, type GatherQuery } from "./gather-query.js";
import type { CommandResult } from "../exec/types.js";
import { InventoryLookup, type HostFacts } from "../plan/host-context.js";
import { planBootstrap } from "../plan/bootstrap.js";
import { executableHostPlan } from "../plan/executable.js";
import { redactedUnifiedDiff } from "../plan/secret-diff.js";
import type { HostPlan, Plan } from "../plan/types.js";
import { isFailure, onEveryHost } from "./fanout.js";
import { cachedOverrideReader, unreadOverrides } from "./overrides.js";
import type { Prepared } from "./prepare.js";

export type Verb = "deploy" | "reconfigure" | "genconfig" | "deploy-containers";

export interface PlanResult {
  /** what apply runs, and all it runs */
  readonly plan: Plan;
  /** what upgrade computes its rolling work from */
  readonly desired: ReadonlyMap<string, DesiredHost>;
  readonly states: ReadonlyMap<string, HostState>;
  /** hosts in play that could not be planned (unreachable, ...) */
  readonly failed: ReadonlyMap<string, DeployError>;
  /** the variables (facts-derived ones included) and inventory lookups the plan was rendered with */
  readonly vars: Config;
  readonly lookup: InventoryLookup;
}

function gatherTargets(p: Prepared): string[] {
  return [...new Set([...p.hosts, ...p.factHosts])];
}

/** Each host's gather query, made once per host (its command and its parser belong together). */
export function gatherQueries(p: Prepared): (host: string) => GatherQuery {
  const names = p.allRoles.flatMap((r) => r.services.map((s) => s.containerName));
  const made = new Map<string, GatherQuery>();
  return (host) => {
    let query = made.get(host);
    if (query === undefined) {
      const base = String(p.config.varsFor(host)["node_config_directory"] ?? "/etc/kolla");
      query = gatherQuery(p.driver, p.allRoles.flatMap((r) => r.services.map((s) => `${base}/${s.key}`)), names);
      made.set(host, query);
    }
    return query;
  };
}

/** Gathers already read (in the lock's acquire exec, lock/acquire-query.ts), with the queries that produced them. */
export interface Gathered {
  readonly query: (host: string) => GatherQuery;
  readonly results: ReadonlyMap<string, CommandResult>;
}

async function gatherAll(p: Prepared, pool: TransportPool, forks: Limiter, pre: Gathered | undefined): Promise<Map<string, HostState | DeployError>> {
  const queryOf = pre?.query ?? gatherQueries(p);
  const results = await onEveryHost(gatherTargets(p), forks, async (host) => {
    const query = queryOf(host);
    return query.parse(pre?.results.get(host) ?? (await pool.get(host).run(query.command)));
  });
  return new Map(results.map((r) => [r.host, isFailure(r) ? r.error : r.value]));
}

/** Old contents of the files a host plan changes, in one exec, as unified diffs without secrets (old ones included). */
async function attachDiffs(plan: HostPlan, desired: DesiredHost | undefined, pool: TransportPool, secrets: readonly string[]): Promise<void> {
  const changed = plan.files.filter((f) => f.action === "update");
  if (changed.length === 0) return;
  const contents = new Map(desired?.services.flatMap((s) => s.files.map((f) => [f.path, f.content] as const)));
  const composed = composeQueries(changed.map((f) => ({ argv: ["cat", f.path], become: true })));
  const parts = composed.split(await pool.get(plan.host).run({ ...composed.command, secrets }));
  changed.forEach((f, i) => {
    const names = { oldName: `${plan.host}:${f.path}`, newName: `${plan.host}:${f.path}` };
    f.diff = redactedUnifiedDiff(parts[i]!.stdout, contents.get(f.path) ?? "", names, secrets);
  });
}

/** kolla's `<net>_interface_address` variables, computed from facts only when a template reads them. */
const ADDRESS_NETWORKS = ["api", "tunnel", "storage", "migration", "dns", "network", "swift_storage", "octavia_network"];

function factVars(host: string, lookup: InventoryLookup): Record<string, () => unknown> {
  return Object.fromEntries(ADDRESS_NETWORKS.map((net) => [`${net}_interface_address`, () => lookup.address(host, `${net}_interface`)]));
}

type Changes = Pick<HostPlan, "host" | "files" | "containers" | "bootstrap">;

/** Hosts outside --limit get only the config files that list the limited hosts (plan/limit-shared.ts). */
function sharedConfigPlans(p: Prepared, states: ReadonlyMap<string, HostState>, inputs: DesiredInputs, desired: Map<string, DesiredHost>): Changes[] {
  const others = p.factHosts.filter((h) => !p.hosts.includes(h) && states.has(h));
  if (others.length === 0 || p.hosts.length === 0) return [];
  const without = { ...inputs, lookup: new LookupWithout(inputs.lookup, new Set(p.hosts)) };
  const plans: Changes[] = [];
  for (const host of others) {
    const full = desiredForHost(host, inputs);
    const files = sharedFileChanges(full, desiredForHost(host, without), states.get(host)!);
    if (files.length === 0) continue;
    desired.set(host, full);
    plans.push({ host, files, containers: [], bootstrap: [] });
  }
  return plans;
}

/** The plan apply runs: each host's changes with their commands, uploads and record (plan/executable.ts). */
function executable(p: Prepared, changes: readonly Changes[], states: ReadonlyMap<string, HostState>, desired: ReadonlyMap<string, DesiredHost>, vars: Config): HostPlan[] {
  return changes.map((c) => executableHostPlan({ ...c, state: states.get(c.host), desired: desired.get(c.host), vars: vars.varsFor(c.host), driver: p.driver }));
}

export async function makePlan(p: Prepared, pool: TransportPool, verb: Verb, forks: Limiter, pre?: Gathered): Promise<PlanResult> {
  const gathered = await gatherAll(p, pool, forks, pre);
  const states = new Map<string, HostState>();
  const failed = new Map<string, DeployError>();
  const facts = new Map<string, HostFacts>();
  for (const [host, r] of gathered) {
    if (r instanceof DeployError) {
      if (p.hosts.includes(host)) failed.set(host, r);
    } else {
      states.set(host, r);
      facts.set(host, r.facts);
    }
  }
  // The lookup reads the computed variables too (hostvar h "api_interface_address"), hence the late binding.
  let vars: Config = p.config;
  const lookup = new InventoryLookup(p.inventory, { varsFor: (h) => vars.varsFor(h) }, facts);
  vars = p.config.withComputed((host) => factVars(host, lookup));
  const consulted = new Set<string>();
  const inputs = { vars, lookup, roles: p.roles, allRoles: p.allRoles, readOverride: cachedOverrideReader(), consulted };
  const desired = new Map<string, DesiredHost>();
  const hostPlans: Changes[] = [];
  const writeFiles = verb !== "deploy-containers";
  const handleContainers = verb !== "genconfig";
  const live = p.hosts.filter((h) => states.has(h));
  for (const host of live) {
    const d = desiredForHost(host, inputs);
    desired.set(host, d);
    const { files, containers } = diffHost(d, states.get(host)!, { writeFiles, handleContainers });
    hostPlans.push({ host, files, containers, bootstrap: [] });
  }
  if (writeFiles) hostPlans.push(...sharedConfigPlans(p, states, inputs, desired));
  const world = { lookup, vars, states, desired, driver: p.driver, failed };
  const steps = verb === "deploy" ? planBootstrap(p.roles, live, "deploy", world) : [];
  // A run-once step's host may be outside --limit: it still shows in the plan, with only its steps.
  const stepOnly = [...new Set(steps.map((s) => s.host))].filter((h) => !hostPlans.some((hp) => hp.host === h));
  const allPlans = [...hostPlans, ...stepOnly.map((host) => ({ host, files: [], containers: [], bootstrap: [] }))];
  const withSteps = allPlans.map((h) => ({ ...h, bootstrap: steps.filter((s) => s.host === h.host).map((s) => s.change) }));
  // A host whose plan could not be built (failed) is not touched at all.
  const plans = executable(p, withSteps.filter((h) => !failed.has(h.host)), states, desired, vars);
  await Promise.all(plans.map((h) => forks.add(() => attachDiffs(h, desired.get(h.host), pool, p.secrets))));
  const customDir = String(p.config.varsFor(p.hosts[0] ?? "localhost")["node_custom_config"] ?? "");
  const unread = unreadOverrides(customDir, p.allRoles, [...p.inventory.hosts.keys()], vars, lookup);
  const warnings = [...unread.map((f) => `override file ${f} is not read by any role (kolla would silently ignore it)`), ...lookup.warnings];
  return { plan: { verb, roles: p.roles.map((r) => r.name), hosts: plans, warnings }, desired, states, failed, vars, lookup };
}
