/**
 * A mutable inventory that follows Ansible's InventoryData rules while sources are parsed:
 * implicit `all` and `ungrouped`, first-appearance order, cycle checks, and the final reconcile that
 * hangs parentless groups under `all` and puts group-less hosts into `ungrouped`. Pure.
 */
import type { Inventory, InventoryGroup, InventoryHost, Vars, VarsLayer } from "./types.js";
import { setVar } from "./vars.js";

interface MutableGroup {
  name: string;
  hosts: string[];
  children: string[];
  parents: string[];
  vars: Vars;
  priority: number;
}

interface MutableHost {
  name: string;
  vars: Vars;
  groups: string[];
}

export class InventoryBuilder {
  private readonly groups = new Map<string, MutableGroup>();
  private readonly hosts = new Map<string, MutableHost>();

  constructor() {
    this.addGroup("all");
    this.addGroup("ungrouped");
    this.addChild("all", "ungrouped");
  }

  hasGroup(name: string): boolean {
    return this.groups.has(name);
  }

  hasHost(name: string): boolean {
    return this.hosts.has(name);
  }

  groupNames(): string[] {
    return [...this.groups.keys()];
  }

  hostNames(): string[] {
    return [...this.hosts.keys()];
  }

  addGroup(name: string): void {
    if (!this.groups.has(name)) {
      this.groups.set(name, { name, hosts: [], children: [], parents: [], vars: {}, priority: 1 });
    }
  }

  /** Adds the host if new (a port counts only then, as in Ansible) and puts it in `group`. */
  addHost(name: string, group: string | undefined, port?: number): void {
    let host = this.hosts.get(name);
    if (host === undefined) {
      host = { name, vars: {}, groups: [] };
      if (port) setVar(host.vars, "ansible_port", port);
      this.hosts.set(name, host);
    }
    if (group !== undefined) this.putHostInGroup(host, this.mustGroup(group));
  }

  /** Makes `child` a child group of `parent`; returns a problem when that would create a loop. */
  addChild(parent: string, child: string): string | undefined {
    const p = this.mustGroup(parent);
    const c = this.mustGroup(child);
    if (p === c) return `group '${child}' cannot be its own child`;
    if (p.children.includes(child)) return undefined;
    if (this.ancestorsOf(parent).has(child)) {
      return `adding '${child}' as a child of '${parent}' creates a loop`;
    }
    p.children.push(child);
    if (!c.parents.includes(parent)) c.parents.push(parent);
    return undefined;
  }

  /** ansible_group_priority is not a variable but the group's merge priority, as in Ansible. */
  setGroupVar(group: string, key: string, value: unknown): void {
    const g = this.mustGroup(group);
    if (key === "ansible_group_priority") {
      const priority = Number(value);
      if (Number.isInteger(priority)) g.priority = priority;
      return;
    }
    setVar(g.vars, key, value);
  }

  setHostVar(host: string, key: string, value: unknown): void {
    const h = this.hosts.get(host);
    if (h === undefined) throw new Error(`internal: unknown host ${host}`);
    setVar(h.vars, key, value);
  }

  /** Ansible's reconcile_inventory: run once, after every source is parsed. */
  reconcile(): void {
    for (const group of this.groups.values()) {
      if (group.name !== "all" && group.parents.length === 0) this.addChild("all", group.name);
    }
    const ungrouped = this.mustGroup("ungrouped");
    for (const host of this.hosts.values()) {
      const others = host.groups.filter((g) => g !== "all" && g !== "ungrouped");
      if (host.groups.includes("ungrouped") && others.length > 0) {
        ungrouped.hosts.splice(ungrouped.hosts.indexOf(host.name), 1);
        host.groups.splice(host.groups.indexOf("ungrouped"), 1);
      } else if (others.length === 0 && !host.groups.includes("ungrouped")) {
        this.putHostInGroup(host, ungrouped);
      }
    }
  }

  build(sources: readonly string[], varsLayers: readonly VarsLayer[]): Inventory {
    const groups = new Map<string, InventoryGroup>();
    for (const g of this.groups.values()) {
      groups.set(g.name, { name: g.name, hosts: [...g.hosts], children: [...g.children], vars: g.vars, priority: g.priority });
    }
    const hosts = new Map<string, InventoryHost>();
    for (const h of this.hosts.values()) hosts.set(h.name, { name: h.name, vars: h.vars });
    return { hosts, groups, sources: [...sources], varsLayers: [...varsLayers] };
  }

  private putHostInGroup(host: MutableHost, group: MutableGroup): void {
    if (group.hosts.includes(host.name)) return;
    group.hosts.push(host.name);
    host.groups.push(group.name);
  }

  private mustGroup(name: string): MutableGroup {
    const g = this.groups.get(name);
    if (g === undefined) throw new Error(`internal: unknown group ${name}`);
    return g;
  }

  private ancestorsOf(name: string): Set<string> {
    const seen = new Set<string>();
    const queue = [...this.mustGroup(name).parents];
    while (queue.length > 0) {
      const next = queue.shift()!;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...this.mustGroup(next).parents);
    }
    return seen;
  }
}
