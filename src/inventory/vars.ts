/**
 * Group membership and variable precedence, as Ansible computes them for a host. Pure.
 *
 * Precedence (Ansible's default VARIABLE_PRECEDENCE, later wins):
 *   [all:vars] → every other group's inventory vars (sorted by depth, priority, name)
 *   → group_vars/all per source → group_vars/<group> per source, groups sorted the same way
 *   → host inventory vars → host_vars/<host> per source.
 * Merging replaces whole top-level keys (Ansible's default hash_behaviour=replace).
 */
import type { Inventory, InventoryGroup, Vars } from "./types.js";

/** Sets a key without ever touching Object.prototype, whatever the key is (`__proto__` included). */
export function setVar(target: Vars, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Copies every top-level key of `source` over `target` (replace semantics). */
export function assignVars(target: Vars, source: Vars | undefined): Vars {
  if (source !== undefined) for (const [k, v] of Object.entries(source)) setVar(target, k, v);
  return target;
}

export function parentsOf(inv: Inventory, group: string): string[] {
  return [...inv.groups.values()].filter((g) => g.children.includes(group)).map((g) => g.name);
}

/** Ansible's group depth: the longest path from `all` (all = 0). */
export function groupDepths(inv: Inventory): Map<string, number> {
  const depths = new Map<string, number>();
  const visit = (name: string, depth: number, path: Set<string>): void => {
    if ((depths.get(name) ?? -1) >= depth || path.has(name)) return;
    depths.set(name, depth);
    path.add(name);
    for (const child of inv.groups.get(name)?.children ?? []) visit(child, depth + 1, path);
    path.delete(name);
  };
  visit("all", 0, new Set());
  return depths;
}

/** Sorted as Ansible's sort_groups: depth, then ansible_group_priority, then name. */
export function sortGroups(inv: Inventory, names: Iterable<string>): InventoryGroup[] {
  const depths = groupDepths(inv);
  const groups = [...names].map((n) => inv.groups.get(n)).filter((g): g is InventoryGroup => g !== undefined);
  return groups.sort(
    (a, b) =>
      (depths.get(a.name) ?? 0) - (depths.get(b.name) ?? 0) ||
      (a.priority ?? 1) - (b.priority ?? 1) ||
      compareCodeUnits(a.name, b.name),
  );
}

export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every group the host belongs to, directly or through parents, `all` included. */
export function groupsOfHost(inv: Inventory, host: string): Set<string> {
  const result = new Set<string>();
  const queue = [...inv.groups.values()].filter((g) => g.hosts.includes(host)).map((g) => g.name);
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (result.has(name)) continue;
    result.add(name);
    queue.push(...parentsOf(inv, name));
  }
  return result;
}

/** Ansible's magic var group_names: sorted, without `all`, with `ungrouped` when the host is in it. */
export function groupNames(inv: Inventory, host: string): string[] {
  return [...groupsOfHost(inv, host)].filter((g) => g !== "all").sort(compareCodeUnits);
}

/** The group and its descendants, level by level, each child list in order (Ansible's get_descendants). */
function descendantsInOrder(inv: Inventory, group: string): string[] {
  const ordered = [group];
  const seen = new Set(ordered);
  let level = [group];
  while (level.length > 0) {
    const next: string[] = [];
    for (const name of level) {
      for (const child of inv.groups.get(name)?.children ?? []) {
        if (seen.has(child)) continue;
        seen.add(child);
        ordered.push(child);
        next.push(child);
      }
    }
    level = next;
  }
  return ordered;
}

/** The hosts of a group and of all its descendants, deduplicated, as `groups['x']` gives them. */
export function hostsInGroup(inv: Inventory, group: string): string[] {
  if (!inv.groups.has(group)) return [];
  const hosts = new Set<string>();
  for (const name of descendantsInOrder(inv, group)) {
    for (const host of inv.groups.get(name)?.hosts ?? []) hosts.add(host);
  }
  return [...hosts];
}

/** Ansible's magic var `groups`: every group, `all` and `ungrouped` included, to its hosts. */
export function groupsMap(inv: Inventory): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const name of inv.groups.keys()) setVar(result, name, hostsInGroup(inv, name));
  return result;
}

/** One group's own variables: inventory vars, then group_vars/ from each source (what `--graph --vars` shows). */
export function groupVars(inv: Inventory, group: string): Vars {
  const g = inv.groups.get(group);
  const result = assignVars({}, g?.vars);
  for (const layer of inv.varsLayers ?? []) assignVars(result, layer.groups.get(group));
  if (g?.priority !== undefined && g.priority !== 1) setVar(result, "ansible_group_priority", g.priority);
  return result;
}

/** A host's variables as `ansible-inventory --host` prints them. */
export function hostVars(inv: Inventory, host: string): Vars {
  const h = inv.hosts.get(host);
  if (h === undefined) return {};
  const sorted = sortGroups(inv, [...groupsOfHost(inv, host)].filter((g) => g !== "all"));
  const layers = inv.varsLayers ?? [];
  const result = assignVars({}, inv.groups.get("all")?.vars);
  for (const g of sorted) assignVars(result, g.vars);
  for (const layer of layers) assignVars(result, layer.groups.get("all"));
  for (const layer of layers) for (const g of sorted) assignVars(result, layer.groups.get(g.name));
  assignVars(result, h.vars);
  for (const layer of layers) assignVars(result, layer.hosts.get(host));
  return result;
}
