/**
 * The vetted helper set role templates are written against. Pure functions over their arguments and
 * the TemplateContext; the handlebars adapter (env.ts) checks arity and undefined arguments first.
 */
import { ansibleBool } from "../ansible-bool.js";
import type { TemplateContext } from "./types.js";

/** A helper rejected its arguments; the adapter turns it into a DeployError naming template:line. */
export class HelperArgumentError extends Error {}

export interface HelperSpec {
  minArgs: number;
  /** Infinity for variadic helpers. */
  maxArgs: number;
  /** Only `default` accepts undefined: everywhere else an undefined argument is almost always a typo. */
  acceptsUndefined?: boolean;
  run(args: readonly unknown[], ctx: TemplateContext): unknown;
}

export { ansibleBool };

/** The same notion of "true" as handlebars' own #if, so (and a b) and {{#if a}} agree. */
export function isTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return Boolean(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a mapping" : `${typeof value} ${JSON.stringify(value)}`;
}

function isPlainMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function toText(value: unknown, helper: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new HelperArgumentError(`${helper} expects text, got ${describe(value)}`);
}

function toList(value: unknown, helper: string): readonly unknown[] {
  if (Array.isArray(value)) return value;
  throw new HelperArgumentError(`${helper} expects a list, got ${describe(value)}`);
}

function toName(value: unknown, helper: string, what: string): string {
  if (typeof value === "string" && value !== "") return value;
  throw new HelperArgumentError(`${helper} expects ${what} as a non-empty string, got ${describe(value)}`);
}

/** Numbers (or numeric strings, as inventory INI values often are) compare numerically, text as text. */
function compare(a: unknown, b: unknown, helper: string): number {
  const numeric = (v: unknown): number | undefined =>
    typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v)) ? Number(v) : undefined;
  const [x, y] = [numeric(a), numeric(b)];
  if (x !== undefined && y !== undefined) return x - y;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  throw new HelperArgumentError(`${helper} cannot compare ${describe(a)} with ${describe(b)}`);
}

function comparison(name: string, test: (order: number) => boolean): HelperSpec {
  return { minArgs: 2, maxArgs: 2, run: ([a, b]) => test(compare(a, b, name)) };
}

function lengthOf(value: unknown): number {
  if (typeof value === "string" || Array.isArray(value)) return value.length;
  if (isPlainMapping(value)) return Object.keys(value).length;
  throw new HelperArgumentError(`length expects a list, text or mapping, got ${describe(value)}`);
}

function firstOf(value: unknown): unknown {
  if (typeof value !== "string" && !Array.isArray(value)) {
    throw new HelperArgumentError(`first expects a list or text, got ${describe(value)}`);
  }
  if (value.length === 0) throw new HelperArgumentError("first got an empty list");
  return value[0];
}

function containsItem(collection: unknown, item: unknown): boolean {
  if (Array.isArray(collection)) return collection.includes(item);
  if (typeof collection === "string") return collection.includes(toText(item, "contains"));
  if (isPlainMapping(collection)) return Object.prototype.hasOwnProperty.call(collection, toText(item, "contains"));
  throw new HelperArgumentError(`contains expects a list, text or mapping, got ${describe(collection)}`);
}

function joinList(list: unknown, separator: unknown): string {
  const items = toList(list, "join").map((item) => toText(item, "join (each item)"));
  return items.join(toText(separator, "join (separator)"));
}

function hostVariable(host: unknown, name: unknown, ctx: TemplateContext): unknown {
  const hostName = toName(host, "hostvar", "a host");
  const varName = toName(name, "hostvar", "a variable name");
  const vars = ctx.lookup.hostVars(hostName);
  if (!(varName in vars)) throw new HelperArgumentError(`hostvar: host ${hostName} has no variable "${varName}"`);
  return vars[varName];
}

export const HELPERS: Readonly<Record<string, HelperSpec>> = {
  eq: { minArgs: 2, maxArgs: 2, run: ([a, b]) => a === b },
  ne: { minArgs: 2, maxArgs: 2, run: ([a, b]) => a !== b },
  lt: comparison("lt", (order) => order < 0),
  gt: comparison("gt", (order) => order > 0),
  le: comparison("le", (order) => order <= 0),
  ge: comparison("ge", (order) => order >= 0),
  and: { minArgs: 1, maxArgs: Infinity, run: (args) => args.every(isTruthy) },
  or: { minArgs: 1, maxArgs: Infinity, run: (args) => args.some(isTruthy) },
  not: { minArgs: 1, maxArgs: 1, run: ([a]) => !isTruthy(a) },
  bool: { minArgs: 1, maxArgs: 1, run: ([a]) => ansibleBool(a) },
  default: {
    minArgs: 2,
    maxArgs: 2,
    acceptsUndefined: true,
    run: ([value, fallback]) => (value === undefined || value === null || value === "" ? fallback : value),
  },
  join: { minArgs: 2, maxArgs: 2, run: ([list, separator]) => joinList(list, separator) },
  concat: { minArgs: 1, maxArgs: Infinity, run: (args) => args.map((a) => toText(a, "concat")).join("") },
  upper: { minArgs: 1, maxArgs: 1, run: ([a]) => toText(a, "upper").toUpperCase() },
  lower: { minArgs: 1, maxArgs: 1, run: ([a]) => toText(a, "lower").toLowerCase() },
  json: { minArgs: 1, maxArgs: 1, run: ([a]) => JSON.stringify(a, null, 4) },
  contains: { minArgs: 2, maxArgs: 2, run: ([collection, item]) => containsItem(collection, item) },
  first: { minArgs: 1, maxArgs: 1, run: ([a]) => firstOf(a) },
  length: { minArgs: 1, maxArgs: 1, run: ([a]) => lengthOf(a) },
  in_group: {
    minArgs: 1,
    maxArgs: 2,
    run: ([group, host], ctx) =>
      ctx.lookup
        .hostGroups(host === undefined ? ctx.host : toName(host, "in_group", "a host"))
        .includes(toName(group, "in_group", "a group")),
  },
  group_hosts: {
    minArgs: 1,
    maxArgs: 1,
    run: ([group], ctx) => [...ctx.lookup.groupHosts(toName(group, "group_hosts", "a group"))],
  },
  hostvar: { minArgs: 2, maxArgs: 2, run: ([host, name], ctx) => hostVariable(host, name, ctx) },
  address: {
    minArgs: 2,
    maxArgs: 2,
    run: ([host, ifaceVar], ctx) =>
      ctx.lookup.address(toName(host, "address", "a host"), toName(ifaceVar, "address", "an interface variable name")),
  },
};
