/** Test helpers: temporary config directories and a hand-built inventory. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Inventory, InventoryGroup, InventoryHost, Vars } from "../../../src/inventory/types.js";
import { DeployError, ValidationFailed } from "../../../src/errors.js";

/** Writes `files` (relative path → text) under a new temporary directory and returns its path. */
export function tempTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "kolla-config-test-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** An empty project-defaults directory, so tests control every layer. */
export function emptyDefaults(): string {
  const dir = mkdtempSync(join(tmpdir(), "kolla-defaults-test-"));
  return dir;
}

function group(name: string, hosts: string[], children: string[], vars: Vars = {}): InventoryGroup {
  return { name, hosts, children, vars };
}

/**
 * all → control (c1.example.com), compute (n1), ungrouped; group vars on all and control,
 * host vars on c1.
 */
export function sampleInventory(vars: { all?: Vars; control?: Vars; c1?: Vars; n1?: Vars } = {}): Inventory {
  const hosts: InventoryHost[] = [
    { name: "c1.example.com", vars: vars.c1 ?? {} },
    { name: "n1", vars: vars.n1 ?? {} },
  ];
  const groups = [
    group("all", [], ["ungrouped", "control", "compute"], vars.all ?? {}),
    group("ungrouped", [], []),
    group("control", ["c1.example.com"], [], vars.control ?? {}),
    group("compute", ["n1"], []),
  ];
  return {
    hosts: new Map(hosts.map((h) => [h.name, h])),
    groups: new Map(groups.map((g) => [g.name, g])),
    sources: ["inventory/multinode"],
  };
}

/** The DeployErrors a call throws (one, or each inside a ValidationFailed). */
export function errorsOf(fn: () => unknown): DeployError[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationFailed) return [...error.errors];
    if (error instanceof DeployError) return [error];
    throw error;
  }
  throw new Error("expected a DeployError");
}
