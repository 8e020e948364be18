/**
 * What the configuration asks of each host, computed before any host is touched: the interfaces
 * kolla's variables name (and whether they need an address), the ports our containers will
 * listen on, the VIPs, the free-space threshold and nova's compute needs. Pure over the prepared configuration.
 */
import { toBool } from "../config/index.js";
import { DeployError, Diagnostics, formatLocation, type SourceLocation } from "../errors.js";
import { groupNames } from "../inventory/index.js";
import type { Vars } from "../inventory/types.js";
import { InventoryLookup } from "../plan/host-context.js";
import type { Prepared } from "../apply/prepare.js";
import { computeNeeds } from "./compute-needs.js";
import { portsFor, servicesOn, type PlacedService } from "./services.js";
import type { HostExpectations, InterfaceNeed, VipNeed } from "./types.js";

export const DEFAULT_MIN_DISK_GB = 10;
export const MIN_DISK_VARIABLE = "prechecks_min_disk_gb";

interface InterfaceRule {
  readonly variable: string;
  readonly needsAddress: boolean;
  /** Whether this host needs the interface at all. */
  applies(ctx: RuleContext): boolean;
}

interface RuleContext {
  readonly groups: ReadonlySet<string>;
  readonly services: ReadonlySet<string>;
  readonly vars: Vars;
  readonly origin: (variable: string) => string | undefined;
}

const runsAny = (ctx: RuleContext, keys: readonly string[]) => keys.some((k) => ctx.services.has(k));
const NEUTRON_AGENTS = ["neutron-openvswitch-agent", "neutron-dhcp-agent", "neutron-l3-agent", "neutron-metadata-agent", "openvswitch-vswitchd"];

/** kolla's interface variables and the hosts that use them (kolla-reference §9). */
const INTERFACE_RULES: readonly InterfaceRule[] = [
  { variable: "network_interface", needsAddress: true, applies: () => true },
  { variable: "api_interface", needsAddress: true, applies: () => true },
  { variable: "tunnel_interface", needsAddress: true, applies: (c) => runsAny(c, NEUTRON_AGENTS) },
  { variable: "storage_interface", needsAddress: true, applies: (c) => c.groups.has("storage") },
  { variable: "kolla_external_vip_interface", needsAddress: false, applies: (c) => runsAny(c, ["haproxy", "keepalived"]) },
  {
    variable: "neutron_external_interface",
    needsAddress: false,
    // Network hosts always; compute hosts only when their instances reach external networks directly.
    applies: (c) =>
      runsAny(c, ["neutron-l3-agent"]) ||
      (runsAny(c, ["neutron-openvswitch-agent"]) && (toBool(c.vars["enable_neutron_dvr"]) || toBool(c.vars["enable_neutron_provider_networks"]))),
  },
];

function interfaceNeeds(host: string, ctx: RuleContext, problems: DeployError[]): InterfaceNeed[] {
  const needs: InterfaceNeed[] = [];
  for (const rule of INTERFACE_RULES.filter((r) => r.applies(ctx))) {
    const value = ctx.vars[rule.variable];
    if (value === undefined || value === null || String(value).trim() === "") {
      problems.push(
        new DeployError("E_PRECHECK_INTERFACE", `${rule.variable} is not set, but ${host} needs it`, `set ${rule.variable} in globals.yml or for ${host} in the inventory`, { host }),
      );
      continue;
    }
    // neutron_external_interface may list several NICs ("eth1,eth2").
    for (const iface of String(value).split(",").map((s) => s.trim()).filter((s) => s !== "")) {
      const origin = ctx.origin(rule.variable);
      needs.push({ variable: rule.variable, iface, needsAddress: rule.needsAddress, ...(origin === undefined ? {} : { origin }) });
    }
  }
  return needs;
}

function fileLine(where: SourceLocation | undefined): string | undefined {
  if (where === undefined) return undefined;
  return formatLocation(where.line === undefined ? { file: where.file } : { file: where.file, line: where.line });
}

function minDiskGb(p: Prepared, host: string, vars: Vars): number {
  const raw = vars[MIN_DISK_VARIABLE];
  if (raw === undefined || raw === null) return DEFAULT_MIN_DISK_GB;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    const where = p.config.origin(host, MIN_DISK_VARIABLE);
    throw new DeployError("E_PRECHECK_CONFIG", `${MIN_DISK_VARIABLE} is ${JSON.stringify(raw)}, not a number of GiB`, `set ${MIN_DISK_VARIABLE} to a number, e.g. 10`, {
      ...(where === undefined ? { host } : { where: { ...where, key: MIN_DISK_VARIABLE } }),
    });
  }
  return value;
}

function vipsOf(vars: Vars): VipNeed[] {
  const vips: VipNeed[] = [];
  for (const variable of ["kolla_internal_vip_address", "kolla_external_vip_address"]) {
    const address = vars[variable];
    if (typeof address === "string" && address !== "" && !vips.some((v) => v.address === address)) vips.push({ address, variable });
  }
  return vips;
}

function vipProblems(host: string, placed: readonly PlacedService[], vars: Vars): DeployError[] {
  if (!placed.some((p) => p.service.key === "keepalived") || typeof vars["kolla_internal_vip_address"] === "string") return [];
  return [new DeployError("E_PRECHECK_VIP", "kolla_internal_vip_address is not set, but keepalived runs here", "set kolla_internal_vip_address in globals.yml to a free address on the api network", { host })];
}

/** Every host's expectations; throws (every problem at once) on configuration that cannot be checked. */
export function expectationsFor(p: Prepared): HostExpectations[] {
  const diags = new Diagnostics();
  const out: HostExpectations[] = [];
  for (const host of p.hosts) {
    try {
      out.push(hostExpectations(p, host));
    } catch (error) {
      if (!(error instanceof DeployError)) throw error;
      diags.add(error);
    }
  }
  diags.throwIfAny();
  return out;
}

function hostExpectations(p: Prepared, host: string): HostExpectations {
  const lookup = new InventoryLookup(p.inventory, p.config, new Map());
  const keepalived = p.roles.flatMap((r) => r.services).find((s) => s.key === "keepalived");
  const vars = p.config.varsFor(host);
  const placedAll = servicesOn(p.inventory, p.allRoles, host, vars);
  const placed = servicesOn(p.inventory, p.roles, host, vars);
  const problems: DeployError[] = [];
  const ctx: RuleContext = {
    groups: new Set(groupNames(p.inventory, host)),
    services: new Set(placedAll.map((s) => s.service.key)),
    vars,
    origin: (variable) => fileLine(p.config.origin(host, variable)),
  };
  const keepalivedHere = keepalived !== undefined && placed.some((s) => s.service === keepalived);
  // Like ports, narrowed by --tags: nova's checks only when nova is selected.
  const compute = computeNeeds(host, placed, vars);
  return {
    host,
    engine: p.driver.name,
    interfaces: interfaceNeeds(host, ctx, problems),
    configProblems: [...problems, ...vipProblems(host, placed, vars)],
    ports: portsFor(p.roles, placed, { host, vars, lookup }),
    pingVips: keepalivedHere ? vipsOf(vars).map((v) => v.address) : [],
    vips: keepalived !== undefined && toBool(vars["enable_keepalived"]) ? vipsOf(vars) : [],
    keepalivedContainer: keepalived?.containerName,
    minDiskGb: minDiskGb(p, host, vars),
    ...(compute === undefined ? {} : { compute }),
  };
}
