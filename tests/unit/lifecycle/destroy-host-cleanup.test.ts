import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parseLines } from "../../../src/lifecycle/destroy-plan.js";
import { neutronHostCleanup, parseRunningGuests, runningGuestsQuery } from "../../../src/lifecycle/destroy-host-cleanup.js";

describe("destroy's host cleanup", () => {
  it("reads 'domain pid' lines of running guests and ignores anything else", () => {
    const r = { code: 0, stdout: "instance-00000001 4242\n\ngarbage\ninstance-0000000a 77\n", stderr: "" };
    expect(parseRunningGuests(r)).toEqual([{ domain: "instance-00000001", pid: 4242 }, { domain: "instance-0000000a", pid: 77 }]);
    expect(parseRunningGuests({ code: 1, stdout: "x 1", stderr: "" })).toEqual([]);
  });

  it("the guest query is valid sh and prints nothing where libvirt has no pid files", () => {
    const q = runningGuestsQuery();
    expect(q.argv.slice(0, 2)).toEqual(["sh", "-c"]);
    expect(spawnSync("sh", ["-n", "-c", q.argv[2]!]).status).toBe(0);
  });

  it("the neutron cleanup is valid sh, deletes only neutron's namespaces and links, and reports one line each", () => {
    const script = neutronHostCleanup().argv[2]!;
    expect(spawnSync("sh", ["-n", "-c", script]).status).toBe(0);
    expect(script).toContain("qrouter-*|qdhcp-*|snat-*|fip-*)");
    expect(script).toContain("brq*|vxlan-*|tap*)");
    expect(script).not.toMatch(/ip netns delete "\$ns"\s*$/m); // never unconditional
    expect(parseLines("netns qrouter-1\nlink brq2\n")).toEqual(["netns qrouter-1", "link brq2"]);
  });
});
