import { describe, expect, it } from "vitest";
import { editEtcHosts, hostNames, hostsBlock, HOSTS_BEGIN, HOSTS_END } from "../../../src/bootstrap/etc-hosts.js";

const BLOCK = hostsBlock([
  { address: "10.0.0.11", names: ["node1.example.org", "node1"] },
  { address: "10.0.0.12", names: ["node2", "node2"] },
]);

describe("/etc/hosts as kolla's etc_hosts role edits it", () => {
  it("writes one line per host with its names once each", () => {
    expect(BLOCK).toEqual(["10.0.0.11 node1.example.org node1", "10.0.0.12 node2"]);
  });

  it("names come from facts (uname -n and its short form), else from the inventory name", () => {
    expect(hostNames("n1", { hostname: "node1.example.org", ipv4: {} })).toEqual(["node1.example.org", "node1"]);
    expect(hostNames("node1.lab", undefined)).toEqual(["node1.lab", "node1"]);
    expect(hostNames("node1", undefined)).toEqual(["node1"]);
  });

  it("drops the 127.0.1.1 line that names this host, keeps other lines, and appends the marked block", () => {
    const current = "127.0.0.1\tlocalhost\n127.0.1.1 node1.example.org node1\n::1 localhost ip6-localhost\n10.9.9.9 other\n";
    expect(editEtcHosts(current, "node1", BLOCK)).toBe(
      ["127.0.0.1 localhost", "::1 localhost ip6-localhost", "10.9.9.9 other", HOSTS_BEGIN, ...BLOCK, HOSTS_END, ""].join("\n"),
    );
  });

  it("keeps a 127.0.1.1 line that names another host (the regexp is anchored on the host name)", () => {
    const out = editEtcHosts("127.0.0.1 localhost\n127.0.1.1 node10\n", "node1", BLOCK);
    expect(out).toContain("127.0.1.1 node10\n");
  });

  it("replaces the last 127.0.0.1 line, or appends one when there is none", () => {
    expect(editEtcHosts("127.0.0.1 a\n127.0.0.1 localhost node1\n", "node1", [])).toBe(`127.0.0.1 a\n127.0.0.1 localhost\n${HOSTS_BEGIN}\n${HOSTS_END}\n`);
    expect(editEtcHosts("", "node1", [])).toBe(`127.0.0.1 localhost\n${HOSTS_BEGIN}\n${HOSTS_END}\n`);
  });

  it("replaces an existing block in place and is idempotent", () => {
    const old = `127.0.0.1 localhost\n${HOSTS_BEGIN}\n10.0.0.99 gone\n${HOSTS_END}\n10.1.1.1 after\n`;
    const once = editEtcHosts(old, "node1", BLOCK);
    expect(once).toBe(`127.0.0.1 localhost\n${HOSTS_BEGIN}\n${BLOCK.join("\n")}\n${HOSTS_END}\n10.1.1.1 after\n`);
    expect(editEtcHosts(once, "node1", BLOCK)).toBe(once);
  });

  it("a file without a final newline gets one", () => {
    expect(editEtcHosts("127.0.0.1 localhost", "h", ["10.0.0.1 h"])).toBe(`127.0.0.1 localhost\n${HOSTS_BEGIN}\n10.0.0.1 h\n${HOSTS_END}\n`);
  });
});
