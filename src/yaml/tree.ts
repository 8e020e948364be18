/**
 * Builds values from a parsed, typed document the way PyYAML's constructor does: an alias is the same
 * object as its anchor, `<<` merge keys are flattened (merged keys first, the mapping's own keys win,
 * earlier mappings of a `<<: [*a, *b]` list win), and a repeated key keeps its first place and last value.
 * document.ts has already refused everything that cannot be built, so building does not fail.
 */
import { isAlias, isMap, isScalar, isSeq, type Alias, type Node, type Pair, type YAMLMap } from "yaml";
import { plainScalar, typedScalar, type ParsedYaml } from "./document.js";
import { pyKeyIdentity, pyStr } from "./python.js";
import type { PyScalar } from "./types.js";

/** How one kind of value is made (plain JavaScript data, or the merge module's model). */
export interface TreeAdapter<T> {
  scalar(scalar: PyScalar): T;
  sequence(items: T[]): T;
  /** Keys in PyYAML's order after flattening merges; repeated keys included (later wins). */
  mapping(entries: [key: PyScalar, value: T][]): T;
}

export function buildTree<T>(parsed: ParsedYaml, node: unknown, adapter: TreeAdapter<T>): T {
  const built = new Map<Node, T>();
  const deref = (n: unknown): unknown => (isAlias(n) ? (n as Alias).resolve(parsed.doc) : n);

  const flatten = (map: YAMLMap): Pair[] => {
    const merged: Pair[] = [];
    const own: Pair[] = [];
    for (const pair of map.items as Pair[]) {
      if (!(isScalar(pair.key) && typedScalar(pair.key).type === "merge")) {
        own.push(pair);
        continue;
      }
      const source = deref(pair.value);
      if (isMap(source)) merged.push(...flatten(source));
      else if (isSeq(source)) merged.push(...source.items.map((item) => flatten(deref(item) as YAMLMap)).reverse().flat());
    }
    return [...merged, ...own];
  };

  const value = (n: unknown): T => {
    const target = deref(n);
    if (target === null || target === undefined) return adapter.scalar({ type: "NoneType", value: null });
    const cached = built.get(target as Node);
    if (cached !== undefined) return cached;
    let result: T;
    if (isMap(target)) {
      result = adapter.mapping(flatten(target).map((pair) => [keyOf(deref(pair.key)), value(pair.value)]));
    } else if (isSeq(target)) {
      result = adapter.sequence(target.items.map(value));
    } else if (isScalar(target)) {
      result = adapter.scalar(keyOf(target));
    } else {
      throw new Error("yaml: a node that is neither a scalar nor a collection");
    }
    built.set(target as Node, result);
    return result;
  };
  return value(node);
}

/** A scalar's Python value (a missing key, `? : x`, is None). */
function keyOf(node: unknown): PyScalar {
  if (node === null || node === undefined) return { type: "NoneType", value: null };
  if (!isScalar(node)) throw new Error("yaml: a collection as a mapping key passed the checks");
  const scalar = typedScalar(node);
  return scalar.type === "merge" ? { type: "str", value: "<<" } : scalar;
}

/**
 * Plain JavaScript data: null, booleans, numbers (ints and floats alike), strings (dates as their
 * `str()`), arrays and objects whose keys are Python's `str()` of the key (`True`, `None`, `1.5`).
 */
export const PLAIN: TreeAdapter<unknown> = {
  scalar: plainScalar,
  sequence: (items) => items,
  mapping(entries) {
    const names = new Map<string, string>();
    const out: Record<string, unknown> = {};
    for (const [key, value] of entries) {
      const identity = pyKeyIdentity(key);
      const name = names.get(identity) ?? pyStr(key);
      names.set(identity, name);
      // A key named __proto__ must become an own property, not the object's prototype.
      Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  },
};

/** The plain JavaScript value of a node (the whole document by default). */
export function toPlain(parsed: ParsedYaml, node: unknown = parsed.doc.contents): unknown {
  return buildTree(parsed, node, PLAIN);
}

/** Python's `str()` of a mapping key as Ansible would name it; undefined for a collection key. */
export function keyText(key: unknown): string | undefined {
  if (key === null || key === undefined) return "None";
  if (!isScalar(key)) return undefined;
  const scalar = typedScalar(key);
  return scalar.type === "merge" ? "<<" : pyStr(scalar);
}
