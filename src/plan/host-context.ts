/**
 * What templates see for one host: the config layer's lazy variables, plus the values only the
 * engine knows (facts-derived addresses, the service being rendered, haproxy_services), and the
 * inventory lookups behind the host-dependent helpers.
 */
import { DeployError } from "../errors.js";
import { groupNames, hostsInGroup } from "../inventory/index.js";
import type { Inventory, Vars } from "../inventory/types.js";
import type { HostLookup, TemplateContext } from "../template/render.js";

/** What one exec learns about a host that templates need: its interfaces' addresses. */
export interface HostFacts {
  readonly hostname: string;
  /** interface name → first IPv4 address */
  readonly ipv4: Readonly<Record<string, string>>;
}

export interface VarsSource {
  varsFor(host: string): Vars;
}

/** Values computed on demand, so an unused one (haproxy_services on a compute node) costs nothing. */
export type LazyExtras = Readonly<Record<string, () => unknown>>;

/** A read-only view: extras first, then the base variables. Keeps the base lazy (never iterated). */
export function overlayVars(base: Vars, extras: LazyExtras): Vars {
  const memo = new Map<string, unknown>();
  const extra = (key: string): unknown => {
    if (!memo.has(key)) memo.set(key, extras[key]!());
    return memo.get(key);
  };
  const isExtra = (key: string | symbol): key is string => typeof key === "string" && Object.hasOwn(extras, key);
  return new Proxy({} as Vars, {
    get: (_t, key) => (isExtra(key) ? extra(key) : Reflect.get(base, key)),
    has: (_t, key) => isExtra(key) || Reflect.has(base, key),
    ownKeys: () => [...new Set([...Object.keys(extras), ...Reflect.ownKeys(base)])],
    getOwnPropertyDescriptor: (_t, key) => {
      if (isExtra(key)) return { value: extra(key), enumerable: true, configurable: true, writable: false };
      return Reflect.getOwnPropertyDescriptor(base, key);
    },
  });
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export class InventoryLookup implements HostLookup {
  readonly warnings = new Set<string>();

  constructor(
    private readonly inventory: Inventory,
    private readonly vars: VarsSource,
    private readonly facts: ReadonlyMap<string, HostFacts>,
  ) {}

  /** The lookup's inputs, for building a variant of it (plan/limit-shared.ts). */
  get inventoryView(): Inventory {
    return this.inventory;
  }

  get varsView(): VarsSource {
    return this.vars;
  }

  get factsView(): ReadonlyMap<string, HostFacts> {
    return this.facts;
  }

  groupHosts(group: string): string[] {
    return this.inventory.groups.has(group) ? hostsInGroup(this.inventory, group) : [];
  }

  hostGroups(host: string): string[] {
    return [...groupNames(this.inventory, host), "all"];
  }

  hostVars(host: string): Vars {
    return this.vars.varsFor(host);
  }

  /** kolla_address: the host's IPv4 on the interface its `ifaceVar` names, from gathered facts. */
  address(host: string, ifaceVar: string): string {
    const hostVars = this.vars.varsFor(host);
    const iface = String(hostVars[ifaceVar]);
    const facts = this.facts.get(host);
    if (facts !== undefined) {
      const ip = facts.ipv4[iface];
      if (ip !== undefined) return ip;
      throw new DeployError(
        "E_FACT_ADDRESS",
        `${ifaceVar}=${iface} has no IPv4 address on ${host} (it has: ${Object.keys(facts.ipv4).join(", ") || "none"})`,
        `set ${ifaceVar} for ${host} in the inventory or globals.yml to an interface that has an address`,
        { host },
      );
    }
    const fallback = hostVars["ansible_host"];
    if (typeof fallback === "string" && IPV4.test(fallback)) {
      this.warnings.add(`no facts from ${host} (unreachable?): using its ansible_host ${fallback} as its ${ifaceVar} address`);
      return fallback;
    }
    throw new DeployError("E_FACT_MISSING", `no facts from ${host}, so its ${ifaceVar} address is unknown`, `make ${host} reachable, or leave it out with --limit`, { host });
  }
}

export function templateContext(host: string, vars: Vars, lookup: HostLookup): TemplateContext {
  return { host, vars, lookup };
}
