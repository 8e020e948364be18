/**
 * The order of a build with `--threads N`: each image starts once its parent is built, at most N
 * at once, so siblings build side by side. A failed image fails the images below it without
 * building them; the other branches go on, so their layers are cached for the next run.
 * Pure orchestration: the work itself is the caller's task.
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
  const outcomes = new Map<string, Promise<Outcome<T>>>();
  for (const item of items) {
    const parent = item.parent === undefined ? undefined : outcomes.get(item.parent);
    if (item.parent !== undefined && parent === undefined) throw new Error(`schedule: ${item.name} comes before its parent ${item.parent}`);
    outcomes.set(item.name, afterParent(item, parent, async (value) => slots.add(() => task(item, value))));
  }
  return Promise.all(items.map((item) => outcomes.get(item.name)!));
}

async function afterParent<T>(item: Scheduled, parent: Promise<Outcome<T>> | undefined, start: (parent: T | undefined) => Promise<T>): Promise<Outcome<T>> {
  const above = await parent;
  if (above !== undefined && above.status !== "done") {
    return { name: item.name, status: "skipped", failedAncestor: above.status === "failed" ? above.name : above.failedAncestor };
  }
  try {
    return { name: item.name, status: "done", value: await start(above?.value) };
  } catch (error) {
    return { name: item.name, status: "failed", error };
  }
}
