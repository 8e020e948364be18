/**
 * The only bootstrap code that talks to hosts: one gather exec per baremetal host (all at once),
 * plans computed locally, then per changed host one putFiles and one apply exec. A host that fails
 * fails alone; the others go on.
 */
import { asDeployError, isFailure, onEveryHost, tracked } from "../apply/fanout.js";
import type { Limiter } from "../limit.js";
import { DeployError } from "../errors.js";
import { runChecked, type Transport } from "../exec/index.js";
import { InventoryLookup, type HostFacts } from "../plan/host-context.js";
import type { Progress } from "../apply/progress.js";
import { hostNames, hostsBlock, type HostsEntry } from "./etc-hosts.js";
import { MANAGED_FILES } from "./files.js";
import { bootstrapGather } from "./gather.js";
import { etcHostsForJoiners } from "./limit-hosts.js";
import { planHost } from "./plan.js";
import type { BootstrapPrepared } from "./prepare.js";
import { applyCommand } from "./script.js";
import { planHasWork, type BootstrapChange, type HostBootstrapPlan, type HostBootstrapState } from "./types.js";

/** Where a host's commands go: the run's TransportPool (one connection per host), or fakes in tests. */
export interface HostTransports {
  get(host: string): Transport;
}

export interface BootstrapPlanResult {
  /** one plan per host of this run that could be planned, in inventory order */
  readonly plans: readonly HostBootstrapPlan[];
  readonly failed: ReadonlyMap<string, DeployError>;
  readonly warnings: readonly string[];
}

export interface BootstrapOutcome {
  readonly host: string;
  readonly status: "changed" | "unchanged" | "failed";
  readonly changes: readonly BootstrapChange[];
  readonly error?: DeployError;
  readonly ms: number;
}

async function gatherAll(p: BootstrapPrepared, pool: HostTransports, forks: Limiter): Promise<Map<string, HostBootstrapState | DeployError>> {
  const results = await onEveryHost(p.baremetal, forks, async (host) => {
    const s = p.settings.get(host)!;
    const query = bootstrapGather({
      engine: s.engine,
      user: s.kollaUser?.user ?? "",
      groups: s.kollaUser === undefined ? [] : [s.kollaUser.group, ...s.kollaUser.groups],
      configDir: s.configDir,
      files: MANAGED_FILES,
    });
    return query.parse(await pool.get(host).run(query.command));
  });
  return new Map(results.map((r) => [r.host, isFailure(r) ? r.error : r.value]));
}

/** kolla's etc_hosts block: every baremetal host's API address and names (facts where it answered). */
function etcHostsEntries(p: BootstrapPrepared, facts: ReadonlyMap<string, HostFacts>, lookup: InventoryLookup): HostsEntry[] {
  return p.baremetal.map((host) => {
    const override = p.config.varsFor(host)["etc_hosts_api_address"];
    const address = typeof override === "string" && override !== "" ? override : lookup.address(host, "api_interface");
    return { address, names: hostNames(host, facts.get(host)) };
  });
}

/** The /etc/hosts block for this run, or the error every host that manages /etc/hosts fails with. */
function etcHostsBlock(p: BootstrapPrepared, facts: ReadonlyMap<string, HostFacts>, lookup: InventoryLookup, leaveOut: readonly string[] = []): string[] | DeployError {
  try {
    const entries = etcHostsEntries(p, facts, lookup).filter((_e, i) => !leaveOut.includes(p.baremetal[i]!));
    return hostsBlock(entries);
  } catch (error) {
    return asDeployError(error);
  }
}

function planOne(p: BootstrapPrepared, host: string, state: HostBootstrapState, block: string[] | DeployError): HostBootstrapPlan | DeployError {
  const settings = p.settings.get(host)!;
  if (block instanceof DeployError && settings.customizeEtcHosts) return block;
  try {
    const shortHostname = (state.facts.hostname || host).split(".")[0]!;
    return planHost(host, settings, state, { shortHostname, hostsBlock: block instanceof DeployError ? [] : block, secrets: p.secrets });
  } catch (error) {
    return asDeployError(error, host);
  }
}

export async function planBootstrap(p: BootstrapPrepared, pool: HostTransports, forks: Limiter): Promise<BootstrapPlanResult> {
  const gathered = await gatherAll(p, pool, forks);
  const states = new Map<string, HostBootstrapState>();
  const failed = new Map<string, DeployError>();
  const warnings: string[] = [];
  for (const [host, r] of gathered) {
    if (!(r instanceof DeployError)) states.set(host, r);
    else if (p.hosts.includes(host)) failed.set(host, r);
    else warnings.push(`${host} (not changed by this run) did not answer: ${r.oneLine()}`);
  }
  const facts = new Map([...states].map(([h, s]) => [h, s.facts] as const));
  const lookup = new InventoryLookup(p.inventory, p.config, facts);
  const block = etcHostsBlock(p, facts, lookup);
  warnings.push(...lookup.warnings);
  const plans: HostBootstrapPlan[] = [];
  for (const host of p.hosts.filter((h) => states.has(h))) {
    const plan = planOne(p, host, states.get(host)!, block);
    if (plan instanceof DeployError) failed.set(host, plan);
    else plans.push(plan);
  }
  if (!(block instanceof DeployError)) plans.push(...joinersPlans(p, states, block, etcHostsBlock(p, facts, lookup, p.hosts)));
  // inventory order, the limited hosts and the others that learn their names alike
  plans.sort((a, b) => p.baremetal.indexOf(a.host) - p.baremetal.indexOf(b.host));
  return { plans, failed, warnings };
}

/** Under --limit: the other hosts whose /etc/hosts lacks only the limited hosts (limit-hosts.ts). */
function joinersPlans(p: BootstrapPrepared, states: ReadonlyMap<string, HostBootstrapState>, block: string[], without: string[] | DeployError): HostBootstrapPlan[] {
  if (without instanceof DeployError) return [];
  const others = p.baremetal.filter((h) => !p.hosts.includes(h) && states.has(h));
  return others.flatMap((host) => {
    const state = states.get(host)!;
    const shortHostname = (state.facts.hostname || host).split(".")[0]!;
    return etcHostsForJoiners(host, p.settings.get(host)!, state, { shortHostname, block, blockWithout: without, secrets: p.secrets }) ?? [];
  });
}

async function applyHost(plan: HostBootstrapPlan, pool: HostTransports, secrets: readonly string[], progress: Progress): Promise<BootstrapOutcome> {
  const started = Date.now();
  if (!planHasWork(plan)) return { host: plan.host, status: "unchanged", changes: [], ms: 0 };
  try {
    await tracked(progress, secrets, plan.host, "bootstrap", async () => {
      const transport = pool.get(plan.host);
      if (plan.uploads.length > 0) await transport.putFiles(plan.uploads, { become: true });
      const command = applyCommand(plan, secrets);
      if (command !== undefined) await runChecked(transport, command);
    });
    return { host: plan.host, status: "changed", changes: plan.changes, ms: Date.now() - started };
  } catch (error) {
    return { host: plan.host, status: "failed", changes: plan.changes, error: asDeployError(error, plan.host), ms: Date.now() - started };
  }
}

/** Applies every host's plan at once (bounded by forks); each host's outcome, in plan order. */
export async function applyBootstrap(result: BootstrapPlanResult, pool: HostTransports, forks: Limiter, secrets: readonly string[], progress: Progress): Promise<BootstrapOutcome[]> {
  const byHost = new Map(result.plans.map((plan) => [plan.host, plan]));
  const outcomes = await onEveryHost([...byHost.keys()], forks, (host) => applyHost(byHost.get(host)!, pool, secrets, progress));
  // applyHost makes every failure its host's outcome, so there is a value for every host.
  return outcomes.map((o) => (isFailure(o) ? { host: o.host, status: "failed", changes: byHost.get(o.host)!.changes, error: o.error, ms: 0 } : o.value));
}
