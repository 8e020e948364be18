/**
 * Evaluates a parsed expression with Python/Jinja semantics. Names are read through `lookup`,
 * which returns `undefined` for a name that does not exist (or an Undefined carrying a chain when
 * the name exists but its own value could not be resolved). Pure, apart from what `lookup` does.
 */
import type { BinaryOp, CompareOp, Expr } from "./ast.js";
import { UndefinedError, typeError } from "./errors.js";
import { applyFilter, canonicalFilterName } from "./filters.js";
import { Undefined, deepEqual, isDict, pythonRepr, pythonStr, truthy, typeName } from "./values.js";

export type Lookup = (name: string) => unknown;

export function evaluate(expr: Expr, lookup: Lookup): unknown {
  switch (expr.type) {
    case "literal": return expr.value;
    case "name": {
      const value = lookup(expr.name);
      return value === undefined ? new Undefined([expr.name]) : value;
    }
    case "list": return expr.items.map((item) => defined(evaluate(item, lookup)));
    case "dict": return evaluateDict(expr.entries, lookup);
    case "attr": return member(evaluate(expr.object, lookup), expr.name, () => `${describe(expr.object)}.${expr.name}`);
    case "index": return evaluateIndex(expr, lookup);
    case "unary": return evaluateUnary(expr.op, defined(evaluate(expr.operand, lookup)));
    case "binary": return evaluateBinary(expr.op, expr.left, expr.right, lookup);
    case "compare": return evaluateCompare(expr.first, expr.rest, lookup);
    case "filter": return evaluateFilter(expr.name, expr.input, expr.args, lookup);
    case "test": return evaluateTest(expr.name, evaluate(expr.input, lookup)) !== expr.negated;
    case "cond": {
      if (truthy(defined(evaluate(expr.test, lookup)))) return evaluate(expr.then, lookup);
      // Jinja: an `if` without `else` yields an undefined that prints as the empty string.
      return expr.otherwise === undefined ? "" : evaluate(expr.otherwise, lookup);
    }
  }
}

/** Using an undefined value anywhere but in `default` or `is defined` is an error, as in Ansible. */
export function defined(value: unknown): unknown {
  if (value instanceof Undefined) throw new UndefinedError(value);
  return value;
}

function evaluateDict(entries: readonly (readonly [Expr, Expr])[], lookup: Lookup): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [keyExpr, valueExpr] of entries) {
    result[pythonStr(defined(evaluate(keyExpr, lookup)))] = defined(evaluate(valueExpr, lookup));
  }
  return result;
}

function evaluateIndex(expr: Extract<Expr, { type: "index" }>, lookup: Lookup): unknown {
  const object = evaluate(expr.object, lookup);
  const index = defined(evaluate(expr.index, lookup));
  return member(object, index, () => `${describe(expr.object)}[${pythonRepr(index)}]`);
}

/** `a.b` and `a[b]`: a missing key or index is undefined (so `default` can catch it), not an error. */
function member(object: unknown, key: unknown, path: () => string): unknown {
  if (object instanceof Undefined) return object;
  if (isDict(object)) {
    const name = pythonStr(key);
    return Object.hasOwn(object, name) ? object[name] : new Undefined([path()]);
  }
  if ((Array.isArray(object) || typeof object === "string") && typeof key === "number" && Number.isInteger(key)) {
    const items: readonly unknown[] = Array.isArray(object) ? object : [...object];
    const position = key < 0 ? items.length + key : key;
    return position >= 0 && position < items.length ? items[position] : new Undefined([path()]);
  }
  return new Undefined([path()]);
}

/** A readable name for the expression a missing member was read from, for error chains. */
function describe(expr: Expr): string {
  if (expr.type === "name") return expr.name;
  if (expr.type === "attr") return `${describe(expr.object)}.${expr.name}`;
  if (expr.type === "index" && expr.index.type === "literal") return `${describe(expr.object)}[${pythonRepr(expr.index.value)}]`;
  return "(expression)";
}

function evaluateUnary(op: "not" | "-" | "+", value: unknown): unknown {
  if (op === "not") return !truthy(value);
  const number = asNumber(value, op);
  return op === "-" ? -number : number;
}

function evaluateBinary(op: BinaryOp, left: Expr, right: Expr, lookup: Lookup): unknown {
  const a = defined(evaluate(left, lookup));
  // `and` / `or` short-circuit and return an operand, as in Python.
  if (op === "and") return truthy(a) ? defined(evaluate(right, lookup)) : a;
  if (op === "or") return truthy(a) ? a : defined(evaluate(right, lookup));
  const b = defined(evaluate(right, lookup));
  if (op === "~") return pythonStr(a) + pythonStr(b);
  if (op === "+") return add(a, b);
  if (op === "*") return multiply(a, b);
  return arithmetic(op, asNumber(a, op), asNumber(b, op));
}

function add(a: unknown, b: unknown): unknown {
  if (typeof a === "string" && typeof b === "string") return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  return asNumber(a, "+") + asNumber(b, "+");
}

function multiply(a: unknown, b: unknown): unknown {
  if ((typeof a === "string" || Array.isArray(a)) && typeof b === "number") return repeat(a, b);
  if (typeof a === "number" && (typeof b === "string" || Array.isArray(b))) return repeat(b, a);
  return asNumber(a, "*") * asNumber(b, "*");
}

function repeat(sequence: string | unknown[], times: number): unknown {
  if (!Number.isInteger(times)) throw typeError(`cannot repeat a sequence a non-integer number of times`);
  if (typeof sequence === "string") return sequence.repeat(Math.max(0, times));
  return Array.from({ length: Math.max(0, times) }, () => sequence).flat();
}

function arithmetic(op: BinaryOp, a: number, b: number): number {
  if ((op === "/" || op === "//" || op === "%") && b === 0) throw typeError("division by zero");
  switch (op) {
    case "-": return a - b;
    case "/": return a / b;
    case "//": return Math.floor(a / b);
    case "%": return a - b * Math.floor(a / b); // Python's modulo takes the sign of the divisor
    case "**": return a ** b;
    default: throw typeError(`unknown operator ${op}`);
  }
}

/** Numbers, and booleans as 0/1 as in Python; anything else is a type error. */
function asNumber(value: unknown, op: string): number {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  throw typeError(`operator '${op}' does not apply to ${typeName(value)}`);
}

function evaluateCompare(first: Expr, rest: readonly (readonly [CompareOp, Expr])[], lookup: Lookup): boolean {
  let left = defined(evaluate(first, lookup));
  for (const [op, rightExpr] of rest) {
    const right = defined(evaluate(rightExpr, lookup));
    if (!compare(op, left, right)) return false;
    left = right;
  }
  return true;
}

function compare(op: CompareOp, a: unknown, b: unknown): boolean {
  switch (op) {
    case "==": return deepEqual(a, b);
    case "!=": return !deepEqual(a, b);
    case "in": return contains(b, a);
    case "not in": return !contains(b, a);
    default: return order(op, a, b);
  }
}

function order(op: "<" | ">" | "<=" | ">=", a: unknown, b: unknown): boolean {
  const bothStrings = typeof a === "string" && typeof b === "string";
  const x = bothStrings ? a : asComparableNumber(a, b, op);
  const y = bothStrings ? b : asComparableNumber(b, a, op);
  if (op === "<") return x < y;
  if (op === ">") return x > y;
  if (op === "<=") return x <= y;
  return x >= y;
}

function asComparableNumber(value: unknown, other: unknown, op: string): number {
  if (typeof value === "number" || typeof value === "boolean") return Number(value);
  throw typeError(`'${op}' cannot compare ${typeName(value)} with ${typeName(other)}`);
}

function contains(container: unknown, item: unknown): boolean {
  if (typeof container === "string") {
    if (typeof item !== "string") throw typeError(`'in <string>' needs a string on the left, got ${typeName(item)}`);
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((element) => deepEqual(element, item));
  if (isDict(container)) return Object.hasOwn(container, pythonStr(item));
  throw typeError(`'in' needs a list, string or dict on the right, got ${typeName(container)}`);
}

function evaluateFilter(name: string, inputExpr: Expr, argExprs: readonly Expr[], lookup: Lookup): unknown {
  const input = evaluate(inputExpr, lookup);
  const args = argExprs.map((arg) => defined(evaluate(arg, lookup)));
  const canonical = canonicalFilterName(name);
  if (canonical === "default" || canonical === "d") {
    const fallback = args[0] ?? "";
    if (input instanceof Undefined) return fallback;
    return args[1] !== undefined && truthy(args[1]) && !truthy(input) ? fallback : input;
  }
  return applyFilter(name, defined(input), args);
}

function evaluateTest(name: string, value: unknown): boolean {
  if (name === "defined") return !(value instanceof Undefined);
  if (name === "undefined") return value instanceof Undefined;
  return value === null; // `none`
}
