import { describe, expect, it } from "vitest";
import { bootstrapGather, parseProbe } from "../../../src/bootstrap/gather.js";

const TARGETS = { engine: "docker", user: "kolla", groups: ["kolla", "sudo", "docker"], configDir: "/etc/kolla", files: ["/etc/hosts", "/etc/docker/daemon.json"] };

/** The stdout the composed gather script prints when each query gives these results. */
function composedOutput(command: string, parts: { code: number; stdout: string }[]): string {
  const marker = /(__kolla_deploy_[0-9a-f]+__)/.exec(command)![1]!;
  return parts.map((p, i) => `${marker} begin ${i}\n${p.stdout}\n${marker} end ${i} ${p.code}\n`).join("");
}

describe("bootstrap gather", () => {
  it("is one become command", () => {
    const g = bootstrapGather(TARGETS);
    expect(g.command.become).toBe(true);
    expect(g.command.argv.slice(0, 2)).toEqual(["sh", "-c"]);
  });

  it("reads the probe's key=value lines", () => {
    const p = parseProbe("init=systemd\npm=apt-get\nbin=docker\nbin=dockerd\nanswers=1\nenabled=1\ngroup=sudo\nusergroups=kolla kolla sudo\ncloudinit=1\nconfigdir=755 kolla kolla\n");
    expect(p).toEqual({
      systemd: true,
      packageManager: "apt",
      binaries: new Set(["docker", "dockerd"]),
      engineAnswers: true,
      engineEnabled: true,
      groupsPresent: new Set(["sudo"]),
      userGroups: ["kolla", "sudo"],
      configDir: { mode: 0o755, owner: "kolla", group: "kolla" },
      cloudInit: true,
    });
  });

  it("a bare host: no engine, no user, no directory; dnf when there is no apt-get", () => {
    expect(parseProbe("init=tini\npm=dnf\n")).toMatchObject({ systemd: false, packageManager: "dnf", binaries: new Set(), userGroups: undefined, configDir: undefined });
  });

  it("splits the one exec's output into facts, probe, keys and files (missing files are absent, contents exact)", () => {
    const g = bootstrapGather(TARGETS);
    const stdout = composedOutput(g.command.argv[2]!, [
      { code: 0, stdout: "node1.example.org\n2: eth0    inet 10.0.0.11/24 brd 10.0.0.255 scope global eth0\n" },
      { code: 0, stdout: "init=tini\npm=apt-get\n" },
      { code: 0, stdout: "ssh-ed25519 AAAA k\n" },
      { code: 0, stdout: "644 root root\n127.0.0.1 localhost" },
      { code: 1, stdout: "" },
    ]);
    const state = g.parse({ code: 0, stdout, stderr: "" });
    expect(state.facts).toEqual({ hostname: "node1.example.org", ipv4: { eth0: "10.0.0.11" } });
    expect(state.authorizedKeys).toBe("ssh-ed25519 AAAA k\n");
    expect([...state.files]).toEqual([["/etc/hosts", { content: "127.0.0.1 localhost", mode: 0o644, owner: "root", group: "root" }]]);
  });
});
