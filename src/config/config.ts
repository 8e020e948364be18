/**
 * The configuration model: every variable layer loaded and validated once, then resolved lazily
 * per host. `Config` is what the rest of the program asks for variables and for the secrets it must
 * redact.
 */
import { DeployError, type SourceLocation } from "../errors.js";
import type { Inventory, Vars } from "../inventory/types.js";
import { allGroups, inventoryLabel, inventoryVarsFor, magicVarsFor } from "./inventory-view.js";
import { loadLayers, type ConfigInputs, type Layers, type VarSource } from "./layers.js";
import { HostResolver, lazyVars, type HostSources, type SharedResolutions } from "./resolver.js";

/**
 * Per-host values only the program can compute (kolla's `'api' | kolla_address` needs facts).
 * Each thunk runs on first read. They sit just above etc/defaults, below the inventory, so an
 * operator can still set them in the inventory, globals.yml or -e, as in kolla.
 */
export type ComputedVars = (host: string) => Readonly<Record<string, () => unknown>>;

const COMPUTED_ORIGIN = "computed by kolla-deploy";

/** Reads every source, reports every problem at once (ValidationFailed), and returns the model. */
export function loadConfig(inputs: ConfigInputs, inventory: Inventory, computed?: ComputedVars): Config {
  return new Config(loadLayers(inputs, inventory), inventory, computed);
}

export class Config {
  private readonly resolvers = new Map<string, HostResolver>();
  /** Resolved values hosts can share (resolver.ts); one set per Config, so withComputed starts afresh. */
  private readonly shared: SharedResolutions = new Map();
  private readonly views = new Map<string, Vars>();
  private readonly groups: Readonly<Record<string, readonly string[]>>;

  constructor(
    private readonly layers: Layers,
    private readonly inventory: Inventory,
    private readonly computed?: ComputedVars,
  ) {
    this.groups = allGroups(inventory);
  }

  /** The same configuration with computed per-host values added (fresh resolution, nothing stale). */
  withComputed(computed: ComputedVars): Config {
    return new Config(this.layers, this.inventory, computed);
  }

  /** The inventory's host names, in order. */
  hosts(): string[] {
    return [...this.inventory.hosts.keys()];
  }

  /** The host's variables: a read-only object whose properties resolve (and memoise) on first read. */
  varsFor(host: string): Vars {
    let view = this.views.get(host);
    if (view === undefined) {
      view = lazyVars(this.resolverFor(host));
      this.views.set(host, view);
    }
    return view;
  }

  /** One resolved variable; an unknown name is an error (use `varsFor(host).name` to get undefined instead). */
  resolve(host: string, name: string): unknown {
    const resolver = this.resolverFor(host);
    if (!resolver.has(name)) {
      throw new DeployError("E_VAR_UNDEFINED", `no variable named '${name}'`, "define it in globals.yml or with -e, or check the spelling", { host });
    }
    return resolver.resolve(name);
  }

  /** Every variable name defined for the host, magic variables included. */
  names(host: string): string[] {
    return this.resolverFor(host).names();
  }

  /** The file:line that set the winning value, for explaining precedence (undefined for magic variables). */
  origin(host: string, name: string): SourceLocation | undefined {
    return this.resolverFor(host).source(name)?.where;
  }

  /** True when the winning value comes from the passwords file. */
  isSecret(host: string, name: string): boolean {
    return this.resolverFor(host).source(name)?.secret === true;
  }

  /**
   * Every non-empty value in the passwords file (nested ones such as private_key included), longest
   * first, so that callers can redact them from anything they print or log.
   */
  secretValues(): string[] {
    const found = new Set<string>();
    for (const source of this.layers.high.values()) {
      if (source.secret) collectScalars(source.value, found);
    }
    return [...found].sort((a, b) => b.length - a.length);
  }

  private resolverFor(host: string): HostResolver {
    let resolver = this.resolvers.get(host);
    if (resolver === undefined) {
      resolver = new HostResolver(this.sourcesFor(host), this.shared);
      this.resolvers.set(host, resolver);
    }
    return resolver;
  }

  private sourcesFor(host: string): HostSources {
    if (!this.inventory.hosts.has(host)) {
      throw new DeployError("E_VARS_UNKNOWN_HOST", `host '${host}' is not in the inventory`, `known hosts: ${this.hosts().slice(0, 10).join(", ")}`);
    }
    const inventoryVars = new Map<string, VarSource>();
    const file = inventoryLabel(this.inventory);
    for (const [key, value] of Object.entries(inventoryVarsFor(this.inventory, host))) {
      inventoryVars.set(key, { value, where: { file, key } });
    }
    const computedVars = new Map<string, VarSource>();
    for (const [key, compute] of Object.entries(this.computed?.(host) ?? {})) {
      computedVars.set(key, { value: undefined, compute, where: { file: COMPUTED_ORIGIN, key } });
    }
    const { low, high } = this.layers;
    return {
      find: (name) => high.get(name) ?? inventoryVars.get(name) ?? computedVars.get(name) ?? low.get(name),
      names: () => [...new Set([...low.keys(), ...computedVars.keys(), ...inventoryVars.keys(), ...high.keys()])],
      magic: magicVarsFor(this.inventory, host, this.groups),
    };
  }

}

function collectScalars(value: unknown, found: Set<string>): void {
  if (typeof value === "string" && value !== "") found.add(value);
  else if (typeof value === "number") found.add(String(value));
  else if (Array.isArray(value)) value.forEach((item) => collectScalars(item, found));
  else if (typeof value === "object" && value !== null) Object.values(value).forEach((item) => collectScalars(item, found));
}
