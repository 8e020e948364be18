/**
 * The order of a build with `--threads N`: each image starts once its parent is built, at most N
 * at once, so siblings build side by side. When more are ready than there are threads, the one
 * with the most images below it goes first (openstack-base before memcached): it holds up the most.
 * A failed image fails the images below it without building them; the other branches go on, so
 * their layers are cached for the next run. Pure orchestration: the work is the caller's task.
 */
import { limiter } from "../limit.js";

export interface Scheduled {
  readonly name: string;
  /** undefined for a root; otherwise an earlier item of the same list */
  readonly parent: string | undefined;
}

export type Outcome<T> =
  | { readonly name: string; readonly status: "done"; readonly value: T }
  | { readonly name: string; readonly status: "failed"; readonly error: unknown }
  /** Not attempted: `failedAncestor` failed. */
  | { readonly name: string; readonly status: "skipped"; readonly failedAncestor: string };

/**
 * Runs `task` for every item after its parent's task succeeded, with at most `threads` tasks at
 * once; `task` gets the parent's result. Items must list parents before children (selectImages
 * does). Outcomes come back in the items' order; this never rejects because a task did.
 */
export async function runAfterParents<I extends Scheduled, T>(items: readonly I[], threads: number, task: (item: I, parent: T | undefined) => Promise<T>): Promise<Outcome<T>[]> {
  const slots = limiter(Math.max(1, Math.floor(threads)));
  const children = childrenOf(items);
  const below = descendantCounts(items);
  const outcomes = new Map<string, Outcome<T>>();
  const skipBelow = (name: string, failedAncestor: string): void => {
    for (const child of children.get(name) ?? []) {
      outcomes.set(child.name, { name: child.name, status: "skipped", failedAncestor });
      skipBelow(child.name, failedAncestor);
    }
  };
  // Children are queued before their parent's slot is released, so a freed slot goes to the ready
  // image with the most below it, not to whichever was queued first.
  const start = (item: I, parent: T | undefined): void => {
    void slots.add(async () => {
      try {
        const value = await task(item, parent);
        outcomes.set(item.name, { name: item.name, status: "done", value });
        for (const child of children.get(item.name) ?? []) start(child, value);
      } catch (error) {
        outcomes.set(item.name, { name: item.name, status: "failed", error });
        skipBelow(item.name, item.name);
      }
    }, { priority: below.get(item.name) ?? 0 });
  };
  for (const root of items.filter((i) => i.parent === undefined)) start(root, undefined);
  await slots.onIdle();
  return items.map((item) => outcomes.get(item.name)!);
}

/** Each item's children, in the items' order; refuses a child listed before its parent. */
function childrenOf<I extends Scheduled>(items: readonly I[]): Map<string, I[]> {
  const seen = new Set<string>();
  const out = new Map<string, I[]>();
  for (const item of items) {
    if (item.parent !== undefined) {
      if (!seen.has(item.parent)) throw new Error(`schedule: ${item.name} comes before its parent ${item.parent}`);
      out.set(item.parent, [...(out.get(item.parent) ?? []), item]);
    }
    seen.add(item.name);
  }
  return out;
}

/** How many items have each item as an ancestor. */
function descendantCounts(items: readonly Scheduled[]): Map<string, number> {
  const parentOf = new Map(items.map((i) => [i.name, i.parent]));
  const counts = new Map<string, number>();
  for (const item of items) {
    for (let up = item.parent; up !== undefined; up = parentOf.get(up)) counts.set(up, (counts.get(up) ?? 0) + 1);
  }
  return counts;
}
