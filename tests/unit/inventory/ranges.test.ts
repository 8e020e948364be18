import { describe, expect, it } from "vitest";
import { expandHostRange } from "../../../src/inventory/ranges.js";
import { splitHostPort } from "../../../src/inventory/address.js";

const hosts = (name: string): string[] => {
  const r = expandHostRange(name);
  if (!r.ok) throw new Error(r.problem);
  return r.hosts;
};

describe("host ranges", () => {
  it("keeps leading zeros", () => expect(hosts("node[01:03]")).toEqual(["node01", "node02", "node03"]));
  it("expands letters", () => expect(hosts("db-[a:c]")).toEqual(["db-a", "db-b", "db-c"]));
  it("honours a stride", () => expect(hosts("n[0:10:5]")).toEqual(["n0", "n5", "n10"]));
  it("defaults an empty begin to 0", () => expect(hosts("n[:1]")).toEqual(["n0", "n1"]));
  it("expands several ranges left to right", () => expect(hosts("r[1:2]-[a:b]")).toEqual(["r1-a", "r1-b", "r2-a", "r2-b"]));
  it("leaves plain names alone", () => expect(hosts("plain")).toEqual(["plain"]));

  it.each([
    ["node[3:1]", "no hosts"],
    ["node[a:1]", "not a number"],
    ["node[01:x]", "same number of digits"],
    ["node[1:x]", "not a number"],
    ["node[1:3", "unterminated"],
    ["node[1]", "begin:end"],
    ["node[1:]", "no end"],
    ["node[1:4:0]", "positive integer step"],
    ["node[c:a]", "begin <= end"],
  ])("rejects %s", (name, problem) => {
    const r = expandHostRange(name);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toContain(problem);
  });
});

describe("host:port", () => {
  it("splits a port off a name or a range", () => {
    expect(splitHostPort("web01:2222")).toEqual({ host: "web01", port: 2222 });
    expect(splitHostPort("web[01:02]:22")).toEqual({ host: "web[01:02]", port: 22 });
    expect(splitHostPort("[::1]:22")).toEqual({ host: "::1", port: 22 });
  });
  it("keeps a colon that is not a port as part of the name, as Ansible does", () => {
    expect(splitHostPort("foo:bar")).toEqual({ host: "foo:bar", port: undefined });
  });
});
