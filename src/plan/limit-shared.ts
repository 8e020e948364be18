/**
 * `deploy --limit newnode`: hosts outside the limit are left alone, except for config files that
 * change only because the limited hosts are in the inventory (memcached servers, haproxy backends,
 * rabbitmq and galera peer lists). Those files are written there; their containers are not restarted,
 * so the new lists take effect at the next restart (a reconfigure without --limit shows and does it).
 * Pure.
 */
import type { DesiredHost } from "./desired.js";
import type { HostState } from "./gather.js";
import { InventoryLookup } from "./host-context.js";
import type { FileChange } from "./types.js";

/** The same lookups as `base`, with the given hosts left out of every group. */
export class LookupWithout extends InventoryLookup {
  constructor(
    private readonly base: InventoryLookup,
    private readonly left: ReadonlySet<string>,
  ) {
    super(base.inventoryView, base.varsView, base.factsView);
  }

  override groupHosts(group: string): string[] {
    return this.base.groupHosts(group).filter((h) => !this.left.has(h));
  }
}

/**
 * Files of `full` (rendered with the whole inventory) that differ from the host's copy, where the
 * rendering without the limited hosts (`without`) still equals the host's copy: the difference is
 * entirely the limited hosts' membership.
 */
export function sharedFileChanges(full: DesiredHost, without: DesiredHost, state: HostState): FileChange[] {
  const withoutHashes = new Map(without.services.flatMap((s) => s.files.map((f) => [f.path, f.sha256] as const)));
  const changes: FileChange[] = [];
  for (const file of full.services.flatMap((s) => s.files)) {
    const remote = state.files.get(file.path);
    if (remote === undefined || remote.sha256 === file.sha256) continue;
    if (withoutHashes.get(file.path) !== remote.sha256) continue;
    changes.push({ path: file.path, action: "update", reasons: ["lists the hosts joining with --limit; its containers are not restarted"] });
  }
  return changes;
}
