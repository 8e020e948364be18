/**
 * The supported filters, with Jinja's and Ansible's semantics. Each takes the (defined) input and
 * the evaluated positional arguments. `default` is special: it is the one filter that accepts an
 * undefined input, so the evaluator handles it before calling here. Pure.
 */
import { ansibleBool } from "../../ansible-bool.js";
import { typeError } from "./errors.js";
import { Undefined, deepEqual, isDict, pythonStr, truthy, typeName } from "./values.js";

type Filter = (input: unknown, args: readonly unknown[]) => unknown;

export { ansibleBool as toBool } from "../../ansible-bool.js";

function toInt(value: unknown, args: readonly unknown[]): unknown {
  const fallback = args[0] ?? 0;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number") return Number.isFinite(value) ? Math.trunc(value) : fallback;
  if (typeof value !== "string") return fallback;
  const text = value.trim().replace(/_/g, "");
  if (/^[+-]?\d+$/.test(text)) return Number.parseInt(text, 10);
  const asFloat = parseFloatStrict(text);
  return asFloat === undefined || !Number.isFinite(asFloat) ? fallback : Math.trunc(asFloat);
}

function toFloat(value: unknown, args: readonly unknown[]): unknown {
  const fallback = args[0] ?? 0;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number") return value;
  if (typeof value !== "string") return fallback;
  return parseFloatStrict(value.trim().replace(/_/g, "")) ?? fallback;
}

/** Python float(): decimal notation, exponent, inf and nan; no hex, no empty string. */
function parseFloatStrict(text: string): number | undefined {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return Number(text);
  if (/^[+-]?(inf|infinity)$/i.test(text)) return text.startsWith("-") ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(text)) return Number.NaN;
  return undefined;
}

/** What Python's iteration over a value yields: list items, string characters, dict keys. */
function iterate(value: unknown, filter: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === "string") return [...value];
  if (isDict(value)) return Object.keys(value);
  throw typeError(`filter '${filter}' needs a list, string or dict, got ${typeName(value)}`);
}

function length(value: unknown): number {
  if (typeof value === "string") return [...value].length;
  if (Array.isArray(value)) return value.length;
  if (isDict(value)) return Object.keys(value).length;
  throw typeError(`filter 'length' needs a list, string or dict, got ${typeName(value)}`);
}

function unique(value: unknown): unknown[] {
  const result: unknown[] = [];
  for (const item of iterate(value, "unique")) {
    if (!result.some((seen) => deepEqual(seen, item))) result.push(item);
  }
  return result;
}

function extreme(value: unknown, filter: string, pickSecond: (a: unknown, b: unknown) => boolean): unknown {
  const items = iterate(value, filter);
  if (items.length === 0) return new Undefined([`${filter} of an empty sequence`]);
  return items.reduce((best, item) => (pickSecond(best, item) ? item : best));
}

function lessThan(a: unknown, b: unknown): boolean {
  if (typeof a === typeof b && (typeof a === "number" || typeof a === "string")) return (a as number) < (b as number);
  throw typeError(`cannot compare ${typeName(a)} with ${typeName(b)}`);
}

function pick(value: unknown, filter: string, position: (items: readonly unknown[]) => number): unknown {
  const items = iterate(value, filter);
  return items.length > 0 ? items[position(items)] : new Undefined([`${filter} of an empty sequence`]);
}

function ternary(value: unknown, args: readonly unknown[]): unknown {
  if ((value === null || value === undefined) && args.length > 2) return args[2];
  return truthy(value) ? args[0] : args[1];
}

function str(value: unknown): string {
  return pythonStr(value);
}

const FILTERS: Record<string, Filter> = {
  bool: (v) => ansibleBool(v),
  int: toInt,
  float: toFloat,
  string: (v) => str(v),
  lower: (v) => str(v).toLowerCase(),
  upper: (v) => str(v).toUpperCase(),
  trim: (v) => str(v).trim(),
  replace: (v, args) => str(v).split(str(args[0])).join(str(args[1])),
  join: (v, args) => iterate(v, "join").map(str).join(args[0] === undefined ? "" : str(args[0])),
  length,
  count: length,
  ternary,
  list: (v) => [...iterate(v, "list")],
  unique,
  min: (v) => extreme(v, "min", (best, item) => lessThan(item, best)),
  max: (v) => extreme(v, "max", (best, item) => lessThan(best, item)),
  first: (v) => pick(v, "first", () => 0),
  last: (v) => pick(v, "last", (items) => items.length - 1),
};

/** Argument counts accepted by each filter, checked at parse time so bad calls fail validation early. */
const ARITY: Record<string, readonly [number, number]> = {
  default: [0, 2], d: [0, 2], int: [0, 1], float: [0, 1], replace: [2, 2], join: [0, 1], ternary: [2, 3],
};

/** `ansible.builtin.bool` is the same filter as `bool`. */
export function canonicalFilterName(name: string): string {
  return name.startsWith("ansible.builtin.") ? name.slice("ansible.builtin.".length) : name;
}

export function hasFilter(name: string): boolean {
  const canonical = canonicalFilterName(name);
  return canonical === "default" || canonical === "d" || canonical in FILTERS;
}

export function filterArity(name: string): readonly [number, number] {
  return ARITY[canonicalFilterName(name)] ?? [0, 0];
}

/** Applies a filter other than `default` to a defined input. */
export function applyFilter(name: string, input: unknown, args: readonly unknown[]): unknown {
  const filter = FILTERS[canonicalFilterName(name)];
  if (filter === undefined) throw typeError(`no filter named '${name}'`);
  return filter(input, args);
}
