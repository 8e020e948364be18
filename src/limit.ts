/**
 * Every concurrency limit in kolla-deploy is a p-queue, and p-queue enters the code base only here.
 * `--forks` bounds the hosts worked on at once; per-host limits keep work below the SSH channel cap.
 */
import PQueue from "p-queue";

export type Limiter = PQueue;

/** A limiter that runs at most `concurrency` tasks at once. */
export function limiter(concurrency: number): Limiter {
  return new PQueue({ concurrency });
}

/** Runs `task` for each item with at most `limit` in flight; results in the items' order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const queue = limiter(Math.max(1, limit));
  return Promise.all(items.map((item) => queue.add(() => task(item))));
}
