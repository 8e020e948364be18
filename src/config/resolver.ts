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

export class HostResolver {
  private readonly memo = new Map<string, unknown>();
  /** Names being resolved right now, outermost first: a repeat is a reference cycle. */
  private readonly resolving: string[] = [];

  constructor(private readonly sources: HostSources) {}

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
    if (Object.hasOwn(this.sources.magic, name)) return this.sources.magic[name];
    const source = this.sources.find(name);
    if (source === undefined) return undefined;
    try {
      return this.resolveSource(name, source);
    } catch (error) {
      if (error instanceof UndefinedError) throw undefinedVariable([name, ...error.value.chain], source.where);
      throw error;
    }
  }

  /** What `{{ name }}` sees: an Undefined (with the chain) instead of an error, so `default()` can act. */
  private readonly lookup = (name: string): unknown => {
    if (Object.hasOwn(this.sources.magic, name)) return this.sources.magic[name];
    const source = this.sources.find(name);
    if (source === undefined) return undefined;
    try {
      return this.resolveSource(name, source);
    } catch (error) {
      if (error instanceof UndefinedError) return new Undefined([name, ...error.value.chain]);
      throw error;
    }
  };

  private resolveSource(name: string, source: VarSource): unknown {
    if (this.memo.has(name)) return this.memo.get(name);
    const start = this.resolving.indexOf(name);
    if (start !== -1) throw this.cycleError([...this.resolving.slice(start), name]);
    this.resolving.push(name);
    let value: unknown;
    try {
      if (source.compute !== undefined) value = source.compute();
      else value = source.secret ? copyFrozen(source.value) : this.resolveDeep(source.value);
    } catch (error) {
      if (error instanceof ExpressionError) throw toDeployError(error, source.where);
      throw error;
    } finally {
      this.resolving.pop();
    }
    this.memo.set(name, value);
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
