/**
 * `bootstrap-servers -l newnode`: the other hosts must learn the new host's name. A host outside
 * the limit gets its /etc/hosts block rewritten, and nothing else, when the only difference is the
 * limited hosts' entries (the block without them is what it has now); a host out of date for other
 * reasons is left alone, as --limit promises. Same rule as deploy's shared files (plan/limit-shared.ts).
 * Pure.
 */
import { ETC_HOSTS } from "./files.js";
import { planHost } from "./plan.js";
import type { BootstrapSettings, HostBootstrapPlan, HostBootstrapState } from "./types.js";

export interface JoinContext {
  readonly shortHostname: string;
  /** the /etc/hosts block with every host, and without the hosts of the limit */
  readonly block: readonly string[];
  readonly blockWithout: readonly string[];
  readonly secrets: readonly string[];
}

export const JOIN_REASON = "lists the hosts joining with --limit";

export function etcHostsForJoiners(host: string, s: BootstrapSettings, state: HostBootstrapState, ctx: JoinContext): HostBootstrapPlan | undefined {
  if (!s.customizeEtcHosts) return undefined;
  const planWith = (block: readonly string[]) => planHost(host, s, state, { shortHostname: ctx.shortHostname, hostsBlock: [...block], secrets: ctx.secrets });
  let full: HostBootstrapPlan;
  let without: HostBootstrapPlan;
  try {
    [full, without] = [planWith(ctx.block), planWith(ctx.blockWithout)];
  } catch {
    return undefined; // this host cannot be planned at all (no package manager...): not this run's business
  }
  const change = full.changes.find((c) => c.target === ETC_HOSTS);
  if (change === undefined || without.changes.some((c) => c.target === ETC_HOSTS)) return undefined;
  return {
    host,
    changes: [{ ...change, reason: JOIN_REASON }],
    uploads: full.uploads.filter((u) => u.path === ETC_HOSTS),
    removals: [],
    install: undefined,
    account: undefined,
    configDir: undefined,
    engine: { ...full.engine, work: "none", enable: false },
  };
}
