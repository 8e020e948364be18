/** What stop does on a host, from the enabled names, skip_stop_containers and the inspect result. */
import { describe, expect, it } from "vitest";
import { parseContainerInspect } from "../../../src/engine/inspect.js";
import { planStop } from "../../../src/lifecycle/stop.js";

const states = (entries: Record<string, string>) =>
  new Map(parseContainerInspect(JSON.stringify(Object.entries(entries).map(([n, s]) => ({ Name: `/${n}`, State: { Status: s } })))).map((c) => [c.name, c]));

describe("planStop", () => {
  it("stops running, restarting and paused containers, in the given order", () => {
    const plan = planStop(["a", "b", "c", "d"], [], states({ a: "running", b: "restarting", c: "paused", d: "running" }));
    expect(plan.stop).toEqual(["a", "b", "c", "d"]);
  });

  it("leaves exited/created containers alone, and names the missing ones", () => {
    const plan = planStop(["a", "b", "c", "gone"], [], states({ a: "exited", b: "created", c: "running" }));
    expect(plan).toEqual({ stop: ["c"], alreadyStopped: ["a", "b"], skipped: [], missing: ["gone"] });
  });

  it("never touches skip_stop_containers, present or not", () => {
    const plan = planStop(["cron", "fluentd", "nova_api"], ["cron", "fluentd"], states({ cron: "running", nova_api: "running" }));
    expect(plan).toEqual({ stop: ["nova_api"], alreadyStopped: [], skipped: ["cron", "fluentd"], missing: [] });
  });
});
