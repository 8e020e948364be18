/**
 * Resolves one host's variables lazily: a value is templated the first time it is read, then
 * memoised, so an unused variable with a broken reference costs nothing. References are followed
 * through `lookup`; a cycle or an undefined name becomes a DeployError showing the chain of names
 * and the file:line of the variable where the chain starts.
 */
import { DeployError } from "../errors.js";
import type { Vars } from "../inventory/types.js";
import { toDeployError, undefinedVariable } from "./expressions.js";
import { ExpressionError, UndefinedError } from "./jinja/errors.js";
import { isTemplated, parseTemplate, renderTemplate } from "./jinja/template.js";
import { Undefined } from "./jinja/values.js";
import type { VarSource } from "./layers.js";

/** Where a host's variables come from, highest precedence first is decided by `find`. */
export interface HostSources {
  /** The winning source of a (non-magic) variable, or undefined when no layer defines it. */
  find(name: string): VarSource | undefined;
  /** Every name some layer defines. */
  names(): readonly string[];
  /** Magic variables (inventory_hostname, groups, ...): above every layer, never templated. */
  readonly magic: Vars;
}

/** The sources a resolved value was computed from: name → winning source (undefined: no layer defines it). */
type Deps = Map<string, VarSource | undefined>;

/**
 * Values resolved for one host that other hosts may reuse: kept with every source they read, and
 * reused only where each of those names has the same source (or an equal plain inventory value).
 * Anything that read a magic variable (inventory_hostname, groups, ...), a computed value or a name
 * whose resolution failed is never shared. At hundreds of hosts this turns per-host re-evaluation of
 * kolla's globals and role defaults into one evaluation.
 */
export type SharedResolutions = Map<string, { readonly value: unknown; readonly deps: Deps }>;

/** Two winning sources give the same resolved value when they are the same, or equal plain scalars. */
function sameSource(a: VarSource | undefined, b: VarSource | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.compute !== undefined || b.compute !== undefined) return false;
  const scalar = (v: unknown) => v === null || (typeof v !== "object" && typeof v !== "function");
  return a.secret === b.secret && scalar(a.value) && a.value === b.value;
}

export class HostResolver {
  private readonly memo = new Map<string, unknown>();
  /** What each memoised value was computed from (undefined: it depends on this host). */
  private readonly depsOf = new Map<string, Deps | undefined>();
  /** Names being resolved right now, outermost first: a repeat is a reference cycle. */
  private readonly resolving: string[] = [];
  /** The sources read so far by each resolution in progress (undefined once it read something host-specific). */
  private readonly frames: (Deps | undefined)[] = [];

  constructor(
    private readonly sources: HostSources,
    private readonly shared?: SharedResolutions,
  ) {}

  /** The resolution in progress read something only this host has. */
  private taint(): void {
    if (this.frames.length > 0) this.frames[this.frames.length - 1] = undefined;
  }

  /** The resolution in progress depends on whatever `deps` depends on. */
  private inherit(deps: Deps | undefined): void {
    const top = this.frames.length - 1;
    if (top < 0) return;
    const frame = this.frames[top];
    if (frame === undefined) return;
    if (deps === undefined) return this.taint();
    for (const [name, source] of deps) frame.set(name, source);
  }

  private stillValid(deps: Deps): boolean {
    for (const [name, source] of deps) {
      if (Object.hasOwn(this.sources.magic, name) || !sameSource(this.sources.find(name), source)) return false;
    }
    return true;
  }

  has(name: string): boolean {
    return Object.hasOwn(this.sources.magic, name) || this.sources.find(name) !== undefined;
  }

  names(): string[] {
    return [...new Set([...this.sources.names(), ...Object.keys(this.sources.magic)])];
  }

  /** The winning layer's value and origin (undefined for magic variables and unknown names). */
  source(name: string): VarSource | undefined {
    return Object.hasOwn(this.sources.magic, name) ? undefined : this.sources.find(name);
  }

  /** The resolved value, `undefined` for a name no layer defines; throws DeployError on a broken reference. */
  resolve(name: string): unknown {
    if (Object.hasOwn(this.sources.magic, name)) {
      this.taint();
      return this.sources.magic[name];
    }
    const source = this.sources.find(name);
    if (source === undefined) {
      this.inherit(new Map([[name, undefined]]));
      return undefined;
    }
    try {
      return this.resolveSource(name, source);
    } catch (error) {
      if (error instanceof UndefinedError) throw undefinedVariable([name, ...error.value.chain], source.where);
      throw error;
    }
  }

  /** What `{{ name }}` sees: an Undefined (with the chain) instead of an error, so `default()` can act. */
  private readonly lookup = (name: string): unknown => {
    if (Object.hasOwn(this.sources.magic, name)) {
      this.taint();
      return this.sources.magic[name];
    }
    const source = this.sources.find(name);
    if (source === undefined) {
      this.inherit(new Map([[name, undefined]]));
      return undefined;
    }
    try {
      return this.resolveSource(name, source);
    } catch (error) {
      if (error instanceof UndefinedError) return new Undefined([name, ...error.value.chain]);
      throw error;
    }
  };

  private resolveSource(name: string, source: VarSource): unknown {
    if (this.memo.has(name)) {
      this.inherit(this.depsOf.get(name));
      return this.memo.get(name);
    }
    const start = this.resolving.indexOf(name);
    if (start !== -1) throw this.cycleError([...this.resolving.slice(start), name]);
    const reuse = this.shared?.get(name);
    if (reuse !== undefined && this.stillValid(reuse.deps)) return this.remember(name, reuse.value, reuse.deps);
    this.resolving.push(name);
    this.frames.push(source.compute === undefined ? new Map([[name, source]]) : undefined);
    let value: unknown;
    let deps: Deps | undefined;
    try {
      if (source.compute !== undefined) value = source.compute();
      else value = source.secret ? copyFrozen(source.value) : this.resolveDeep(source.value);
    } catch (error) {
      // A failed resolution is never shared, and neither is anything that looked at it.
      this.frames[this.frames.length - 1] = undefined;
      if (error instanceof ExpressionError) throw toDeployError(error, source.where);
      throw error;
    } finally {
      this.resolving.pop();
      deps = this.frames.pop();
      if (deps === undefined) this.taint();
    }
    if (deps !== undefined && this.shared !== undefined && !this.shared.has(name)) this.shared.set(name, { value, deps });
    return this.remember(name, value, deps);
  }

  private remember(name: string, value: unknown, deps: Deps | undefined): unknown {
    this.memo.set(name, value);
    this.depsOf.set(name, deps);
    this.inherit(deps);
    return value;
  }

  /** Templates every string inside a value; lists and dicts are rebuilt (and frozen, as they are shared). */
  private resolveDeep(value: unknown): unknown {
    if (typeof value === "string") return isTemplated(value) ? renderTemplate(parseTemplate(value), this.lookup) : value;
    if (Array.isArray(value)) return Object.freeze(value.map((item) => this.resolveDeep(item)));
    if (isPlainObject(value)) {
      return Object.freeze(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolveDeep(v)])));
    }
    return value;
  }

  private cycleError(chain: readonly string[]): DeployError {
    return new DeployError(
      "E_VAR_CYCLE",
      `reference cycle: ${chain.join(" -> ")}`,
      "one of these variables must stop referring back to the others; set one to a plain value",
      { where: this.sources.find(chain[0]!)?.where },
    );
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function copyFrozen(value: unknown): unknown {
  if (Array.isArray(value)) return Object.freeze(value.map(copyFrozen));
  if (isPlainObject(value)) return Object.freeze(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyFrozen(v)])));
  return value;
}

/**
 * The host's variables as an object whose properties resolve on first read. Property descriptors
 * are accessors, so listing names (Object.keys, `in`) never resolves anything; reading does.
 */
export function lazyVars(resolver: HostResolver): Vars {
  return new Proxy<Vars>({}, {
    get: (_target, prop) => (typeof prop === "string" ? resolver.resolve(prop) : undefined),
    has: (_target, prop) => typeof prop === "string" && resolver.has(prop),
    ownKeys: () => resolver.names(),
    getOwnPropertyDescriptor: (_target, prop) => {
      if (typeof prop !== "string" || !resolver.has(prop)) return undefined;
      return { get: () => resolver.resolve(prop), enumerable: true, configurable: true };
    },
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  });
}
