import { describe, expect, it } from "vitest";
import { DeployError } from "../../../src/errors.js";
import { parseSshArgs, splitSshArgs } from "../../../src/exec/ssh-args.js";
import { hostMatchesPatterns, parseSshConfig, resolveSshConfig } from "../../../src/exec/ssh-config.js";
import { resolveConnectionSettings, type SettingsEnv } from "../../../src/exec/settings.js";

function fakeEnv(files: Record<string, string> = {}, extra: Partial<SettingsEnv> = {}): SettingsEnv {
  return {
    home: "/home/op",
    localUser: "op",
    agentSocket: undefined,
    readFile: (p) => files[p],
    fileExists: (p) => p in files,
    ...extra,
  };
}

describe("parseSshArgs()", () => {
  it("reads -o in every spelling, -p, -i, -l, -J, -F; first value wins", () => {
    const set = parseSshArgs([
      "-o UserKnownHostsFile=/kh -o 'StrictHostKeyChecking no' -oPort=2200 -p 2300 -i /k1 -i/k2 -l bob -J jump -F /cfg -C -o Port=9",
    ]);
    expect(set).toMatchObject({
      userKnownHostsFiles: ["/kh"],
      strictHostKeyChecking: "no",
      port: 2200,
      identityFiles: ["/k1", "/k2"],
      user: "bob",
      proxyJump: "jump",
      configFile: "/cfg",
    });
  });

  it("skips the argument of flags it does not honour", () => {
    expect(parseSshArgs(["-L 8080:localhost:80 -o ProxyJump=j"]).proxyJump).toBe("j");
  });

  it("drops empty and blank words and strips the rest, as Ansible's _split_ssh_args", () => {
    expect(splitSshArgs(`-o '' -i ' /k ' "  " -l bob`)).toEqual(["-o", "-i", "/k", "-l", "bob"]);
    expect(parseSshArgs(["-i ' /k ' -p '' 2222"])).toMatchObject({ identityFiles: ["/k"], port: 2222 });
  });

  it("rejects an invalid port", () => {
    expect(() => parseSshArgs(["-p nope"])).toThrow(/invalid port/);
  });
});

describe("ssh config", () => {
  const config = parseSshConfig(`
# comment
Host web?? !web99
  HostName 10.0.0.%h
  User alice
Host web*
  User bob
  Port 2222
  IdentityFile ~/.ssh/web_key
Match exec "true"
  User never
Host *
  IdentityFile ~/.ssh/extra
  StrictHostKeyChecking=accept-new
`);

  it("applies every matching block in order, the first value winning", () => {
    const set = resolveSshConfig(config, "web01");
    expect(set).toMatchObject({ hostName: "10.0.0.%h", user: "alice", port: 2222, strictHostKeyChecking: "accept-new" });
    expect(set.identityFiles).toEqual(["~/.ssh/web_key", "~/.ssh/extra"]);
  });

  it("honours negated patterns and skips Match blocks", () => {
    expect(resolveSshConfig(config, "web99").user).toBe("bob");
    expect(resolveSshConfig(config, "db1").user).toBeUndefined();
  });

  it("matches * and ? case-insensitively", () => {
    expect(hostMatchesPatterns("Node1", ["node?"])).toBe(true);
    expect(hostMatchesPatterns("node12", ["node?"])).toBe(false);
    expect(hostMatchesPatterns("198.18.0.11", ["198.18.*"])).toBe(true);
  });
});

describe("resolveConnectionSettings()", () => {
  const files = {
    "/home/op/.ssh/config": "Host 10.1.1.1\n  User cfguser\n  Port 2022\n  IdentityFile ~/.ssh/cfgkey\n  ProxyJump bastion\nHost bastion\n  HostName 10.9.9.9\n  User jumper\n",
    "/home/op/.ssh/id_rsa": "key",
  };

  it("uses defaults: local user, port 22, default keys that exist, known_hosts files", () => {
    const s = resolveConnectionSettings("node1", {}, fakeEnv(files, { agentSocket: "/run/agent" }));
    expect(s).toMatchObject({ address: "node1", port: 22, user: "op", identityFiles: ["/home/op/.ssh/id_rsa"], agentSocket: "/run/agent", jumps: [], local: false, become: false });
    expect(s.knownHostsFiles).toEqual(["/home/op/.ssh/known_hosts", "/home/op/.ssh/known_hosts2", "/etc/ssh/ssh_known_hosts", "/etc/ssh/ssh_known_hosts2"]);
    expect(s.knownHostsWriteFile).toBe("/home/op/.ssh/known_hosts");
  });

  it("matches ssh config against ansible_host, and inventory vars beat it", () => {
    const fromConfig = resolveConnectionSettings("node1", { ansible_host: "10.1.1.1" }, fakeEnv(files));
    expect(fromConfig).toMatchObject({ address: "10.1.1.1", user: "cfguser", port: 2022, identityFiles: ["/home/op/.ssh/cfgkey"] });
    expect(fromConfig.jumps).toEqual([expect.objectContaining({ name: "bastion", address: "10.9.9.9", user: "jumper", port: 22 })]);
    const fromVars = resolveConnectionSettings(
      "node1",
      { ansible_host: "10.1.1.1", ansible_user: "root", ansible_port: "22", ansible_ssh_private_key_file: "/k" },
      fakeEnv(files),
    );
    expect(fromVars).toMatchObject({ user: "root", port: 22 });
    expect(fromVars.identityFiles[0]).toBe("/k");
  });

  it("ssh args beat ssh config, and vars beat ssh args", () => {
    const vars = { ansible_host: "10.1.1.1", ansible_ssh_common_args: "-o User=argsuser -p 2400 -o UserKnownHostsFile=/kh -o StrictHostKeyChecking=no -o ProxyJump=none" };
    const s = resolveConnectionSettings("node1", vars, fakeEnv(files));
    expect(s).toMatchObject({ user: "argsuser", port: 2400, knownHostsFiles: ["/kh", "/etc/ssh/ssh_known_hosts", "/etc/ssh/ssh_known_hosts2"], hostKeyMode: "no", jumps: [] });
    expect(resolveConnectionSettings("node1", { ...vars, ansible_ssh_user: "v" }, fakeEnv(files)).user).toBe("v");
  });

  it("reads -F instead of ~/.ssh/config", () => {
    const env = fakeEnv({ ...files, "/other": "Host *\n  User other\n" });
    expect(resolveConnectionSettings("n", { ansible_ssh_extra_args: "-F /other" }, env).user).toBe("other");
  });

  it("reads become and local connection; IdentitiesOnly drops the agent", () => {
    const env = fakeEnv({ "/cfg": "Host *\n IdentitiesOnly yes\n" }, { agentSocket: "/run/agent" });
    const s = resolveConnectionSettings("n", { ansible_connection: "local", ansible_become: "yes", ansible_become_user: "kolla", ansible_ssh_common_args: "-F /cfg" }, env);
    expect(s).toMatchObject({ local: true, become: true, becomeUser: "kolla", agentSocket: undefined });
  });

  it("names the host and variable for bad values", () => {
    const bad = (vars: Record<string, unknown>): DeployError => {
      try {
        resolveConnectionSettings("node7", vars, fakeEnv());
      } catch (error) {
        return error as DeployError;
      }
      throw new Error("expected an error");
    };
    expect(bad({ ansible_port: "x" }).oneLine()).toMatch(/host node7: ansible_port: invalid port "x" \[E_SSH_SETTINGS\]/);
    expect(bad({ ansible_become: "maybe" }).message).toMatch(/ansible_become: expected a boolean/);
    expect(bad({ ansible_become: true, ansible_become_method: "su" }).message).toMatch(/only sudo/);
    expect(bad({ ansible_ssh_common_args: "-o 'oops" }).message).toMatch(/cannot split ssh arguments into words: no closing quotation/);
    expect(bad({ ansible_ssh_common_args: "-o StrictHostKeyChecking=maybe" }).message).toMatch(/StrictHostKeyChecking/);
  });
});
