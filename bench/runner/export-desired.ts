/**
 * What kolla-deploy wants on each host (rendered files and container specs), computed by
 * kolla-deploy's own planner, for the Ansible equivalent to ensure. Read-only: one gather exec per
 * host (facts feed the templates), nothing is written to any host.
 */
import PQueue from "p-queue";
import { makePlan } from "../../src/apply/planner.js";
import { prepare } from "../../src/apply/prepare.js";
import { commonOptions } from "../../src/cli/common.js";
import type { ContainerSpec } from "../../src/engine/types.js";
import { TransportPool } from "../../src/exec/index.js";
import { hostVars } from "../../src/inventory/index.js";
import type { Workspace } from "./workspace.js";

export interface ExportedFile {
  readonly path: string;
  readonly content: string;
  readonly mode: number;
  readonly owner: string;
  readonly group: string;
  readonly container: string;
}

export interface ExportedHost {
  readonly files: readonly ExportedFile[];
  readonly containers: readonly ContainerSpec[];
}

export async function exportDesired(ws: Workspace): Promise<Map<string, ExportedHost>> {
  const p = prepare(commonOptions({ inventory: [ws.inventory], configdir: ws.configdir }));
  const names = [...new Set([...p.hosts, ...p.factHosts])];
  const pool = new TransportPool(names.map((name) => ({ name, vars: hostVars(p.inventory, name) })));
  try {
    const result = await makePlan(p, pool, "reconfigure", new PQueue({ concurrency: 100 }));
    if (result.failed.size > 0) throw new Error(`could not plan ${[...result.failed.keys()].join(", ")}: ${[...result.failed.values()].map((e) => e.oneLine()).join("; ")}`);
    const out = new Map<string, ExportedHost>();
    for (const [host, desired] of result.desired) {
      out.set(host, {
        files: desired.services.flatMap((s) => s.files.map((f) => ({ path: f.path, content: f.content, mode: f.mode, owner: f.owner, group: f.group, container: s.spec.name }))),
        containers: desired.services.map((s) => s.spec),
      });
    }
    return out;
  } finally {
    await pool.closeAll();
  }
}
