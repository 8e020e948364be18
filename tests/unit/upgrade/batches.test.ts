/** --serial and --max-fail-percentage arithmetic. */
import { describe, expect, it } from "vitest";
import { DeployError } from "../../../src/errors.js";
import { batchSize, makeBatches, mustStop, parsePercentage, parseSerial } from "../../../src/upgrade/batches.js";

describe("rolling batches", () => {
  it("parses a count or a percentage and refuses anything else as a usage error", () => {
    expect(parseSerial("1")).toEqual({ count: 1 });
    expect(parseSerial("3")).toEqual({ count: 3 });
    expect(parseSerial("30%")).toEqual({ percent: 30 });
    for (const bad of ["0", "-1", "0%", "101%", "x", "1.5", ""]) {
      const error = (() => { try { parseSerial(bad); } catch (e) { return e; } })();
      expect(error, bad).toBeInstanceOf(DeployError);
      expect((error as DeployError).code).toBe("E_USAGE");
    }
  });

  it("cuts hosts into consecutive batches in order", () => {
    expect(makeBatches(["a", "b", "c"], { count: 1 })).toEqual([["a"], ["b"], ["c"]]);
    expect(makeBatches(["a", "b", "c", "d", "e"], { count: 2 })).toEqual([["a", "b"], ["c", "d"], ["e"]]);
    expect(makeBatches(["a", "b"], { count: 5 })).toEqual([["a", "b"]]);
    expect(makeBatches([], { count: 1 })).toEqual([]);
  });

  it("rounds a percentage down like Ansible, but never below one host", () => {
    expect(batchSize({ percent: 50 }, 5)).toBe(2);
    expect(batchSize({ percent: 10 }, 3)).toBe(1);
    expect(batchSize({ percent: 100 }, 3)).toBe(3);
    expect(makeBatches(["a", "b", "c", "d"], { percent: 50 })).toEqual([["a", "b"], ["c", "d"]]);
  });

  it("stops at the first failure by default, and past the percentage of all hosts otherwise", () => {
    expect(mustStop(0, 3, undefined)).toBe(false);
    expect(mustStop(1, 3, undefined)).toBe(true);
    expect(mustStop(1, 3, 34)).toBe(false);
    expect(mustStop(2, 3, 34)).toBe(true);
    expect(mustStop(1, 3, 0)).toBe(true);
    expect(mustStop(3, 3, 100)).toBe(false);
  });

  it("reads --max-fail-percentage with or without a % sign", () => {
    expect(parsePercentage("25")).toBe(25);
    expect(parsePercentage("25%")).toBe(25);
    expect(() => parsePercentage("150")).toThrow(DeployError);
    expect(() => parsePercentage("")).toThrow(DeployError);
  });
});
