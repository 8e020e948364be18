/** Parsers of the probe's raw outputs, fed with outputs captured on test-bed hosts. */
import { describe, expect, it } from "vitest";
import {
  compareVersions,
  parseAddresses,
  parseEngineDisk,
  parseEngineVersion,
  parseLinks,
  parseListeners,
  parsePings,
  parseProcLine,
  parseSsLine,
} from "../../../src/prechecks/parse.js";

const IP_LINK = `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
2: eth0@if33: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether 02:54:c6:12:06:0b brd ff:ff:ff:ff:ff:ff link-netnsid 0
3: eth1: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\\    link/ether 02:54:c6:12:06:0c brd ff:ff:ff:ff:ff:ff
4: eth0.100@eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether 02:54:c6:12:06:0b brd ff:ff:ff:ff:ff:ff
`;

const IP_ADDR = `1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
1: lo    inet6 ::1/128 scope host \\       valid_lft forever preferred_lft forever
2: eth0    inet 198.18.6.11/24 scope global eth0\\       valid_lft forever preferred_lft forever
2: eth0    inet 198.18.6.250/32 scope global eth0\\       valid_lft forever preferred_lft forever
2: eth0    inet6 fe80::54:c6ff:fe12:60b/64 scope link \\       valid_lft forever preferred_lft forever
4: eth0.100    inet6 2001:db8::5/64 scope global \\       valid_lft forever preferred_lft forever
`;

describe("ip output", () => {
  it("reads link names (without @peer) and whether they are up", () => {
    expect(parseLinks(IP_LINK)).toEqual([
      { name: "lo", up: true },
      { name: "eth0", up: true },
      { name: "eth1", up: false },
      { name: "eth0.100", up: true },
    ]);
  });

  it("reads every address per interface, both families, without the prefix length", () => {
    expect(parseAddresses(IP_ADDR)).toEqual({
      lo: ["127.0.0.1", "::1"],
      eth0: ["198.18.6.11", "198.18.6.250", "fe80::54:c6ff:fe12:60b"],
      "eth0.100": ["2001:db8::5"],
    });
  });
});

describe("listening sockets", () => {
  it("reads ss -ltnpH lines: wildcard, dual-stack *, bracketed IPv6, zone ids, mapped IPv4, the owning process", () => {
    const out = [
      "kd-ss",
      `LISTEN 0      128    0.0.0.0:22 0.0.0.0:* users:(("sshd",pid=68,fd=3))`,
      `LISTEN 0      1            *:11211       *:* users:(("nc",pid=351,fd=3)) `,
      `LISTEN 0      4096      [::]:5000      [::]:*`,
      `LISTEN 0      4096   127.0.0.53%lo:53 0.0.0.0:*`,
      `LISTEN 0      4096   [::ffff:10.0.0.5]:3306 *:*`,
      "",
    ].join("\n");
    expect(parseListeners(out)).toEqual([
      { address: "0.0.0.0", port: 22, process: "sshd (pid 68)" },
      { address: "*", port: 11211, process: "nc (pid 351)" },
      { address: "::", port: 5000 },
      { address: "127.0.0.53", port: 53 },
      { address: "10.0.0.5", port: 3306 },
    ]);
  });

  it("reads /proc/net/tcp and tcp6 when ss is missing: only LISTEN rows, addresses in host byte order", () => {
    const out = [
      "kd-proc",
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
      "   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 588020 1 000000004106c65d 100 0 0 10 0",
      "   1: 0B0612C6:0016 010612C6:DFA4 01 00000000:00000000 02:000AFC5F 00000000     0        0 926266 4 00000000135dd3f8 20 4 17 21 -1",
      "   2: 0100007F:2CAB 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0",
      "   0: 00000000000000000000000000000000:1388 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1 0",
      "   1: 0000000000000000FFFF00000B0612C6:0CEA 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3 1 0",
    ].join("\n");
    expect(parseListeners(out)).toEqual([
      { address: "0.0.0.0", port: 22 },
      { address: "127.0.0.1", port: 11435 },
      { address: "::", port: 5000 },
      { address: "198.18.6.11", port: 3306 },
    ]);
  });

  it("gives undefined when the query printed neither tag (it did not run)", () => {
    expect(parseListeners("")).toBeUndefined();
    expect(parseSsLine("State Recv-Q Send-Q Local Peer")).toBeUndefined();
    expect(parseProcLine("  sl  local_address rem_address   st")).toBeUndefined();
  });
});

describe("engine version", () => {
  it("reads docker's and podman's --version", () => {
    expect(parseEngineVersion("Docker version 28.2.2, build e6534b4")).toEqual([28, 2, 2]);
    expect(parseEngineVersion("Docker version 17.03.2-ce, build f5ec1e2")).toEqual([17, 3, 2]);
    expect(parseEngineVersion("podman version 4.3.1")).toEqual([4, 3, 1]);
    expect(parseEngineVersion("podman version 3.4")).toEqual([3, 4, 0]);
    expect(parseEngineVersion("sh: 1: docker: not found")).toBeUndefined();
  });

  it("compares numerically, not as text", () => {
    expect(compareVersions([18, 9], [18, 9, 0])).toBe(0);
    expect(compareVersions([18, 10, 0], [18, 9])).toBeGreaterThan(0);
    expect(compareVersions([17, 12, 1], [18, 9])).toBeLessThan(0);
  });
});

describe("engine and disk script output", () => {
  it("reads the data root and the Available column of df -P", () => {
    const out = "kd-engine up /var/lib/docker\nkd-df /dev/vda         264212084 23547676  82843236      23% /var/lib/docker\n";
    expect(parseEngineDisk(out)).toEqual({ answers: true, root: "/var/lib/docker", error: "", diskFreeKb: 82843236 });
  });

  it("reports a silent daemon with its error, and still the free space under the default root", () => {
    const out = [
      "kd-engine down /var/lib/docker",
      "kd-err Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
      "kd-df /dev/mapper/vg root 1000 10 990 1% /",
    ].join("\n");
    expect(parseEngineDisk(out)).toEqual({
      answers: false,
      root: "/var/lib/docker",
      error: "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
      diskFreeKb: 990,
    });
  });
});

describe("ping output", () => {
  it("reads each VIP's answer, or undefined without a ping tool", () => {
    expect(parsePings("kd-vip 10.0.0.250 no\nkd-vip 10.0.0.251 yes\n")).toEqual({ "10.0.0.250": false, "10.0.0.251": true });
    expect(parsePings("kd-noping\n")).toBeUndefined();
  });
});
