import { describe, expect, it } from "vitest";
import { toNiceJson } from "../../../src/bootstrap/engine-config.js";
import { APT_SOURCES_LIST, ETC_HOSTS, SUDOERS_FILE } from "../../../src/bootstrap/files.js";
import { planHost } from "../../../src/bootstrap/plan.js";
import { PODMAN_CNI_DEFAULT_NETWORK, PODMAN_NETAVARK_DEFAULT_NETWORK } from "../../../src/bootstrap/podman-network.js";
import type { BootstrapSettings, HostBootstrapState, RemoteText } from "../../../src/bootstrap/types.js";
import { DeployError } from "../../../src/errors.js";

const DAEMON = { "log-opts": { "max-file": "5", "max-size": "50m" }, bridge: "none" };
const KEY = "ssh-rsa AAAAB3Nza kolla@deploy";

const settings = (over: Partial<BootstrapSettings> = {}): BootstrapSettings => ({
  engine: "docker",
  dockerDaemon: DAEMON,
  podmanMtu: undefined,
  podmanRegistry: undefined,
  enginePackage: { apt: "docker.io", dnf: "docker-ce" },
  aptSources: ["deb [trusted=yes] http://198.18.0.1:8080/ ./"],
  yumRepo: { baseurl: "", gpgkey: "" },
  customizeEtcHosts: true,
  kollaUser: { user: "kolla", group: "kolla", groups: ["sudo", "docker"], publicKey: KEY, sudoers: true },
  configDir: "/etc/kolla",
  ...over,
});

const BLOCK = ["10.0.0.11 node1", "10.0.0.12 node2"];
const CTX = { shortHostname: "node1", hostsBlock: BLOCK, secrets: [KEY] };
const text = (content: string, mode = 0o644): RemoteText => ({ content, mode, owner: "root", group: "root" });

/** A host with nothing but sshd and apt. */
function bare(over: Partial<HostBootstrapState> = {}): HostBootstrapState {
  return {
    facts: { hostname: "node1", ipv4: { eth0: "10.0.0.11" } },
    systemd: false,
    packageManager: "apt",
    binaries: new Set(),
    engineAnswers: false,
    engineEnabled: false,
    files: new Map([[ETC_HOSTS, text("127.0.0.1 localhost\n127.0.1.1 node1\n")]]),
    groupsPresent: new Set(["sudo"]),
    userGroups: undefined,
    authorizedKeys: "",
    configDir: undefined,
    cloudInit: false,
    ...over,
  };
}

/** The same host after a bootstrap. */
function done(over: Partial<HostBootstrapState> = {}): HostBootstrapState {
  return bare({
    binaries: new Set(["docker", "dockerd"]),
    engineAnswers: true,
    files: new Map([
      ["/etc/docker/daemon.json", text(toNiceJson(DAEMON))],
      [ETC_HOSTS, text(`127.0.0.1 localhost\n# BEGIN ANSIBLE GENERATED HOSTS\n${BLOCK.join("\n")}\n# END ANSIBLE GENERATED HOSTS\n`)],
      [APT_SOURCES_LIST, text("deb [trusted=yes] http://198.18.0.1:8080/ ./\n")],
      [SUDOERS_FILE, text("kolla ALL=(ALL) NOPASSWD: ALL\n", 0o640)],
    ]),
    groupsPresent: new Set(["sudo", "docker", "kolla"]),
    userGroups: ["kolla", "sudo", "docker"],
    authorizedKeys: `ssh-ed25519 AAAAother x\n${KEY}\n`,
    configDir: { mode: 0o755, owner: "kolla", group: "kolla" },
    ...over,
  });
}

const summary = (plan: ReturnType<typeof planHost>) => plan.changes.map((c) => `${c.action} ${c.target}`);

describe("planHost", () => {
  it("a bare host: install the package, write the files first, create the account and directory, then start docker", () => {
    const plan = planHost("node1", settings(), bare(), CTX);
    expect(summary(plan)).toEqual([
      "install docker.io",
      "create /etc/docker/daemon.json",
      "update /etc/hosts",
      "create /etc/apt/sources.list.d/kolla-deploy.list",
      "create /etc/sudoers.d/kolla-ansible-users",
      "create group kolla",
      "create group docker",
      "create user kolla",
      "create /etc/kolla",
      "start docker",
    ]);
    expect(plan.install).toEqual({ manager: "apt", packages: ["docker.io"], binaries: ["docker", "dockerd"] });
    expect(plan.uploads.map((u) => [u.path, u.mode.toString(8)])).toContainEqual(["/etc/sudoers.d/kolla-ansible-users", "640"]);
    expect(plan.engine).toEqual({ name: "docker", work: "start", enable: false, systemd: false });
    expect(plan.changes.find((c) => c.target === ETC_HOSTS)?.diff).toContain("-127.0.1.1 node1");
  });

  it("a bootstrapped host: nothing to do", () => {
    const plan = planHost("node1", settings(), done(), CTX);
    expect(plan.changes).toEqual([]);
    expect(plan.uploads).toEqual([]);
    expect(plan.engine.work).toBe("none");
  });

  it("a changed daemon configuration restarts docker; a reformatted identical one is rewritten without a restart", () => {
    const changed = planHost("node1", settings({ dockerDaemon: { ...DAEMON, mtu: 1400 } }), done(), CTX);
    expect(summary(changed)).toEqual(["update /etc/docker/daemon.json", "restart docker"]);
    const reformatted = done({ files: new Map([...done().files, ["/etc/docker/daemon.json", text(JSON.stringify(DAEMON))]]) });
    expect(summary(planHost("node1", settings(), reformatted, CTX))).toEqual(["update /etc/docker/daemon.json"]);
  });

  it("a daemon that does not answer is started, not restarted, even when its config changed", () => {
    const plan = planHost("node1", settings({ dockerDaemon: { mtu: 1 } }), done({ engineAnswers: false }), CTX);
    expect(plan.engine.work).toBe("start");
  });

  it("with systemd, a docker that is not enabled at boot gets enabled", () => {
    const plan = planHost("node1", settings(), done({ systemd: true, engineEnabled: false }), CTX);
    expect(summary(plan)).toEqual(["enable docker"]);
    expect(plan.engine).toMatchObject({ work: "none", enable: true, systemd: true });
  });

  it("an emptied kolla_apt_sources removes the file an earlier run wrote", () => {
    const plan = planHost("node1", settings({ aptSources: [] }), done(), CTX);
    expect(summary(plan)).toEqual([`remove ${APT_SOURCES_LIST}`]);
    expect(plan.removals).toEqual([APT_SOURCES_LIST]);
  });

  it("dnf hosts install the dnf package name and get the yum repository instead of the apt list", () => {
    const plan = planHost("node1", settings({ yumRepo: { baseurl: "http://mirror/el9", gpgkey: "" } }), bare({ packageManager: "dnf" }), CTX);
    expect(plan.install).toMatchObject({ manager: "dnf", packages: ["docker-ce"] });
    const repo = plan.uploads.find((u) => u.path === "/etc/yum.repos.d/kolla-deploy.repo");
    expect(repo?.content).toContain("baseurl=http://mirror/el9\n");
    expect(plan.uploads.some((u) => u.path === APT_SOURCES_LIST)).toBe(false);
  });

  it("refuses a host without the engine and without apt-get or dnf", () => {
    expect(() => planHost("node1", settings(), bare({ packageManager: undefined }), CTX)).toThrow(DeployError);
  });

  it("an existing user outside the sudo group is added to it; a missing key is added", () => {
    const plan = planHost("node1", settings(), done({ userGroups: ["kolla", "docker"], authorizedKeys: "" }), CTX);
    expect(plan.account).toMatchObject({ createUser: false, addToGroups: ["sudo"], publicKey: KEY });
  });

  it("create_kolla_user false: no account, no sudoers, and /etc/kolla only needs to exist with mode 755", () => {
    const plan = planHost("node1", settings({ kollaUser: undefined }), done({ configDir: { mode: 0o755, owner: "root", group: "root" } }), CTX);
    expect(plan.changes).toEqual([]);
    const missing = planHost("node1", settings({ kollaUser: undefined }), done({ configDir: undefined }), CTX);
    expect(missing.configDir).toEqual({ path: "/etc/kolla" });
  });

  it("podman: the registries drop-in, the podman package, no daemon to start", () => {
    const s = settings({ engine: "podman", podmanRegistry: { location: "10.0.0.1:5000", insecure: true }, enginePackage: { apt: "podman", dnf: "podman" } });
    const plan = planHost("node1", s, bare(), CTX);
    expect(plan.install?.packages).toEqual(["podman"]);
    expect(plan.uploads.map((u) => u.path)).toContain("/etc/containers/registries.conf.d/registries.conf");
    expect(plan.engine.work).toBe("none");
  });

  it("podman with docker_mtu: the default network's files for netavark and CNI, written once", () => {
    const s = settings({ engine: "podman", podmanMtu: 1450, enginePackage: { apt: "podman", dnf: "podman" }, kollaUser: undefined });
    const plan = planHost("node1", s, bare(), CTX);
    expect(summary(plan)).toContain(`create ${PODMAN_NETAVARK_DEFAULT_NETWORK}`);
    expect(summary(plan)).toContain(`create ${PODMAN_CNI_DEFAULT_NETWORK}`);
    expect(JSON.parse(String(plan.uploads.find((u) => u.path === PODMAN_NETAVARK_DEFAULT_NETWORK)!.content)).options).toEqual({ mtu: "1450" });
    const written = new Map(plan.uploads.map((u) => [u.path, text(String(u.content))]));
    const after = bare({ binaries: new Set(["podman"]), files: written, configDir: { mode: 0o755, owner: "root", group: "root" } });
    expect(planHost("node1", s, after, CTX).changes).toEqual([]);
    expect(planHost("node1", { ...s, podmanMtu: undefined }, bare(), CTX).uploads.some((u) => u.path.includes("podman"))).toBe(false);
  });

  it("podman with docker_mtu and an unreadable network file: the host fails with a hint", () => {
    const s = settings({ engine: "podman", podmanMtu: 1450, enginePackage: { apt: "podman", dnf: "podman" } });
    const broken = bare({ files: new Map([...bare().files, [PODMAN_NETAVARK_DEFAULT_NETWORK, text("{")]]) });
    let caught: unknown;
    try {
      planHost("node1", s, broken, CTX);
    } catch (error) {
      caught = error;
    }
    expect((caught as DeployError).oneLine()).toBe(
      "host node1: /etc/containers/networks/podman.json is not a JSON object, so docker_mtu cannot be set in it [E_BOOTSTRAP_PODMAN_NETWORK] (hint: fix or remove /etc/containers/networks/podman.json, then run bootstrap-servers again)",
    );
  });

  it("a cloud-init host also gets manage_etc_hosts disabled", () => {
    const plan = planHost("node1", settings(), done({ cloudInit: true }), CTX);
    expect(summary(plan)).toEqual(["create /etc/cloud/cloud.cfg.d/99-kolla.cfg"]);
  });

  it("diffs never show a secret", () => {
    const s = settings({ dockerDaemon: { ...DAEMON, "registry-mirrors": [`http://user:${KEY}@mirror`] } });
    const diff = planHost("node1", s, done(), CTX).changes[0]!.diff!;
    expect(diff).toContain("<redacted>");
    expect(diff).not.toContain("AAAAB3Nza");
  });
});
