/**
 * Python/Jinja value semantics on JavaScript values: truthiness, equality, str() and repr().
 * Values are plain JSON-like data: string, number, boolean, null (None), arrays, plain objects.
 */

/**
 * A name (or attribute) that does not exist. It flows through the expression as a value so that
 * `default()` and `is defined` can act on it; using it in any other way raises UndefinedError.
 * `chain` is the path of names that led here, e.g. ["openstack_tag", "openstack_release"].
 */
export class Undefined {
  constructor(readonly chain: readonly string[]) {}
}

export function isUndefined(value: unknown): value is Undefined {
  return value instanceof Undefined;
}

export type Dict = Record<string, unknown>;

export function isDict(value: unknown): value is Dict {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Undefined);
}

/** The Python type name, for error messages that must not show the value itself. */
export function typeName(value: unknown): string {
  if (value === null || value === undefined) return "NoneType";
  if (value instanceof Undefined) return "undefined";
  if (Array.isArray(value)) return "list";
  if (typeof value === "string") return "str";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  return "dict";
}

/** Python truthiness: empty containers, 0, "" and None are false; every other string (even "no") is true. */
export function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (typeof value === "number") return value !== 0;
  if (typeof value === "string" || Array.isArray(value)) return value.length > 0;
  if (isDict(value)) return Object.keys(value).length > 0;
  return true;
}

/** Python `==`: structural for lists and dicts, no coercion between strings and numbers. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (typeof a === "boolean" || typeof b === "boolean") {
    // Python: True == 1, False == 0.
    return typeof a !== "string" && typeof b !== "string" && Number(a) === Number(b);
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isDict(a) && isDict(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Python str(): what `{{ x }}` prints inside a larger string. */
export function pythonStr(value: unknown): string {
  if (typeof value === "string") return value;
  return pythonRepr(value);
}

/** Python repr(): how values look inside printed lists and dicts. */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return pythonNumber(value);
  if (typeof value === "string") return quotePython(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(", ")}]`;
  if (isDict(value)) {
    return `{${Object.entries(value).map(([k, v]) => `${quotePython(k)}: ${pythonRepr(v)}`).join(", ")}}`;
  }
  return String(value);
}

function pythonNumber(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  return String(value);
}

function quotePython(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\t/g, "\\t");
  return quote + (quote === "'" ? escaped.replace(/'/g, "\\'") : escaped) + quote;
}
