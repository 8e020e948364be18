/** src/limit.ts: the one concurrency limiter (p-queue) that replaced the hand-written inBatches. */
import { describe, expect, it } from "vitest";
import { mapLimited } from "../../src/limit.js";

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe("mapLimited()", () => {
  it("keeps at most `limit` tasks in flight and returns results in the items' order", async () => {
    let running = 0;
    let most = 0;
    const results = await mapLimited([5, 1, 4, 2, 3], 2, async (n) => {
      most = Math.max(most, ++running);
      for (let i = 0; i < n; i++) await tick();
      running--;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });

  it("treats a limit below 1 as 1 and an empty list as nothing to do", async () => {
    expect(await mapLimited([1, 2], 0, async (n) => n)).toEqual([1, 2]);
    expect(await mapLimited([], 3, async (n: number) => n)).toEqual([]);
  });

  it("rejects with a task's error and still runs the other tasks", async () => {
    const done: number[] = [];
    const run = mapLimited([1, 2, 3], 1, async (n) => {
      if (n === 1) throw new Error("first failed");
      done.push(n);
    });
    await expect(run).rejects.toThrow("first failed");
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(done).toEqual([2, 3]);
  });
});
