/**
 * roles/horizon as a deploy plans it (shipped defaults, globals, passwords and roles; fake hosts),
 * checked against what the horizon image (etc/images/horizon) does with the files: its links, its
 * start hook, and Debian's local_settings.d snippets, which run after local_settings. The rendered
 * local_settings is executed by Python (Django and horizon stubbed) so its values, not its text,
 * are what is compared.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makePlan } from "../../../src/apply/planner.js";
import { prepare } from "../../../src/apply/prepare.js";
import { commonOptions } from "../../../src/cli/common.js";
import type { TransportPool } from "../../../src/exec/pool.js";
import { limiter } from "../../../src/limit.js";
import { REPO_ROOT } from "../../helpers/cli.js";
import { kollaLayout } from "../../helpers/deploy-env.js";
import { FakeHosts } from "../../helpers/fake-hosts.js";

const ADDRESSES = { node1: "198.18.0.11", node2: "198.18.0.12", node3: "198.18.0.13" };
const IMAGE_DIR = join(REPO_ROOT, "etc", "images", "horizon");
const imageYml = readFileSync(join(IMAGE_DIR, "image.yml"), "utf8");
const hook = readFileSync(join(IMAGE_DIR, "extend_start.sh"), "utf8");

/**
 * The snippets of openstack-dashboard 3:23.0.0-5+deb12u2 (/etc/openstack-dashboard/local_settings.d)
 * that the image keeps (it removes _0001 DEBUG and _0006 locmem CACHES); settings.py execs them
 * after importing local_settings, so theirs are the final values.
 */
const DEBIAN_SNIPPETS = `COMPRESS_OFFLINE = True
STATIC_ROOT = "/var/lib/openstack-dashboard/static/"
OPENSTACK_PROFILER = {'enabled': False}
WEBROOT = "/"
`;

function python(): string | undefined {
  try {
    execFileSync("python3", ["-c", "import json"], { stdio: "ignore" });
    return "python3";
  } catch {
    return undefined;
  }
}

/** Runs local_settings (then, with `debian`, the image's snippets) with stubbed imports; returns the UPPER_CASE settings. */
function settingsOf(text: string, debian: boolean): Record<string, unknown> {
  const dir = mkdtempSync(join(tmpdir(), "horizon-settings-"));
  mkdirSync(join(dir, "django", "utils"), { recursive: true });
  mkdirSync(join(dir, "openstack_dashboard"), { recursive: true });
  for (const pkg of ["django", "django/utils", "openstack_dashboard"]) writeFileSync(join(dir, pkg, "__init__.py"), "");
  writeFileSync(join(dir, "django", "utils", "translation.py"), "def gettext_lazy(s):\n    return s\n");
  writeFileSync(join(dir, "openstack_dashboard", "settings.py"), "HORIZON_CONFIG = {}\n");
  writeFileSync(join(dir, "local_settings.py"), text);
  writeFileSync(join(dir, "snippets.py"), debian ? DEBIAN_SNIPPETS : "");
  const script = `
import json, sys
sys.path.insert(0, ${JSON.stringify(dir)})
ns = {}
exec(compile(open(${JSON.stringify(join(dir, "local_settings.py"))}).read(), "local_settings", "exec"), ns)
exec(open(${JSON.stringify(join(dir, "snippets.py"))}).read(), ns)
print(json.dumps({k: v for k, v in ns.items() if k.isupper()}))
`;
  try {
    return JSON.parse(execFileSync("python3", ["-c", script], { encoding: "utf8" })) as Record<string, unknown>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A `[ln, -sf(n), target, link]` step of the image. */
function imageLink(link: string): string {
  const m = new RegExp(`\\[ln, -sfn?, (\\S+), ${link.replaceAll(".", "\\.")}\\]`).exec(imageYml);
  if (m === null) throw new Error(`etc/images/horizon/image.yml links nothing to ${link}`);
  return m[1]!;
}

async function plan(globals: string, tags = ["horizon", "loadbalancer"]): Promise<Map<string, Map<string, string>>> {
  const dir = mkdtempSync(join(tmpdir(), "kd-horizon-role-"));
  const configdir = join(dir, "etc");
  mkdirSync(join(configdir, "config"), { recursive: true });
  writeFileSync(join(configdir, "globals.yml"), `kolla_internal_vip_address: "198.18.0.250"\nnetwork_interface: "eth0"\nneutron_external_interface: "eth1"\nkolla_base_distro: "debian"\n${globals}`);
  const passwords = readFileSync(join(REPO_ROOT, "etc", "kolla", "passwords.yml"), "utf8")
    .split("\n")
    .map((line) => {
      const key = /^([a-z0-9_]+):\s*$/.exec(line)?.[1];
      if (key === undefined) return line.replace(/^(\s+(private|public)_key):\s*$/, "$1: not-a-real-key");
      return /ssh_key$|^ceph|uuid$/.test(key) ? line : `${key}: pw-${key.replaceAll("_", "-")}`;
    })
    .join("\n");
  writeFileSync(join(configdir, "passwords.yml"), passwords);
  const hosts = Object.entries(ADDRESSES).map(([h, a]) => `${h} ansible_host=${a}`);
  const inventory = join(dir, "inventory");
  writeFileSync(inventory, `[control]\n${hosts[0]}\n${hosts[1]}\n[network]\n${hosts[0]}\n${hosts[1]}\n[compute]\n${hosts[2]}\n[storage]\nnode1\n[monitoring]\nnode1\n[deployment]\nlocalhost ansible_connection=local\n${kollaLayout()}`);
  const p = prepare(commonOptions({ inventory: [inventory], configdir, tags }));
  const fake = new FakeHosts(ADDRESSES);
  const result = await makePlan(p, fake as unknown as TransportPool, "deploy", limiter(4));
  rmSync(dir, { recursive: true, force: true });
  expect([...result.failed.values()].map((e) => e.message)).toEqual([]);
  const files = new Map<string, Map<string, string>>();
  for (const [host, desired] of result.desired) {
    files.set(host, new Map(desired.services.flatMap((s) => s.files.map((f) => [f.path, f.content] as [string, string]))));
  }
  return files;
}

const py = python();
const plain = await plan("");
const node2 = plain.get("node2")!;
const settingsText = node2.get("/etc/kolla/horizon/local_settings")!;
const confText = node2.get("/etc/kolla/horizon/horizon.conf")!;
const configJson = JSON.parse(node2.get("/etc/kolla/horizon/config.json")!) as {
  command: string;
  config_files: { source: string; dest: string; owner: string; perm: string }[];
};

describe("roles/horizon as planned for a Debian Zed image", () => {
  it("renders horizon's three files on the control hosts only", () => {
    for (const host of ["node1", "node2"]) {
      expect([...plain.get(host)!.keys()].filter((p) => p.startsWith("/etc/kolla/horizon/")).sort(), host).toEqual([
        "/etc/kolla/horizon/config.json", "/etc/kolla/horizon/horizon.conf", "/etc/kolla/horizon/local_settings",
      ]);
    }
    expect([...plain.get("node3")!.keys()].some((p) => p.startsWith("/etc/kolla/horizon/"))).toBe(false);
  });

  it("config.json: apache2 in the foreground, the vhost and settings where the image reads them", () => {
    expect(configJson.command).toBe("/usr/sbin/apache2 -DFOREGROUND");
    const dest = Object.fromEntries(configJson.config_files.map((f) => [f.source.replace("/var/lib/kolla/config_files/", ""), f.dest]));
    expect(dest).toEqual({ "horizon.conf": "/etc/apache2/conf-enabled/000-default.conf", local_settings: "/etc/openstack-dashboard/local_settings" });
    // openstack_dashboard imports local/local_settings.py, a link to that file; the hook hashes it.
    expect(imageLink("/usr/lib/python3/dist-packages/openstack_dashboard/local/local_settings.py")).toBe(dest["local_settings"]);
    expect(hook).toContain(`cat ${dest["local_settings"]} /etc/openstack-dashboard/local_settings.d/*.py`);
    // The WSGI daemon runs as horizon and must read the settings.
    expect(configJson.config_files.every((f) => f.owner === "horizon" && f.perm === "0600")).toBe(true);
  });

  it("horizon.conf: the vhost on the api address and horizon_listen_port, the WSGI daemon as horizon", () => {
    expect(confText.startsWith("Listen 198.18.0.12:80\n")).toBe(true);
    expect(confText).toContain("<VirtualHost 198.18.0.12:80>\n");
    expect(confText).toMatch(/\n {4}WSGIDaemonProcess horizon-http processes=\d+ threads=1 user=horizon group=horizon display-name=horizon\n {4}WSGIProcessGroup horizon-http\n/);
    // kolla's venv paths, which the image links to Debian's wsgi.py and collected static files.
    const wsgi = /\n {4}WSGIScriptAlias \/ (\S+)\n/.exec(confText)![1]!;
    const statics = /\n {4}Alias \/static (\S+)\n/.exec(confText)![1]!;
    expect(imageLink(wsgi)).toBe("/usr/share/openstack-dashboard/wsgi.py");
    expect(imageLink(statics)).toBe("/var/lib/openstack-dashboard/static");
    expect(confText).toContain("ErrorLog /var/log/kolla/horizon/horizon-error.log\n");
    expect(confText).not.toContain("{{");
  });

  it("haproxy balances horizon round robin (sessions are shared in memcached)", () => {
    const haproxy = [...plain.get("node1")!.entries()].filter(([p]) => p.startsWith("/etc/kolla/haproxy/")).map(([, c]) => c).join("\n");
    expect(haproxy).toMatch(/backend horizon_back\n(?: {4}.*\n)*? {4}balance roundrobin\n/);
    expect(haproxy).toContain("server node1 198.18.0.11:80 ");
    expect(haproxy).toContain("server node2 198.18.0.12:80 ");
  });

  it("the start hook rebuilds static files and the offline compression the settings ask for", () => {
    expect(hook).toMatch(/collectstatic --noinput --clear/);
    expect(hook).toMatch(/compress --force/);
  });

  describe.skipIf(py === undefined)(`local_settings, executed${py === undefined ? " (skipped: no python3 with json)" : ""}`, () => {
    const mine = py === undefined ? {} : settingsOf(settingsText, false);
    const final = py === undefined ? {} : settingsOf(settingsText, true);

    it("sessions in memcached on every memcached host, through pymemcache", () => {
      expect(mine["SESSION_ENGINE"]).toBe("django.contrib.sessions.backends.cache");
      expect(mine["CACHES"]).toEqual({
        default: {
          BACKEND: "django.core.cache.backends.memcached.PyMemcacheCache",
          LOCATION: ["198.18.0.11:11211", "198.18.0.12:11211"],
          OPTIONS: { ignore_exc: true },
        },
      });
      expect(imageYml).toMatch(/packages: \[.*python3-pymemcache.*\]/);
      // The image removed Debian's locmem CACHES snippet, so these are the final ones.
      expect(final["CACHES"]).toEqual(mine["CACHES"]);
    });

    it("keystone on the internal VIP, v3, the Default domain without a domain field", () => {
      expect(mine["OPENSTACK_HOST"]).toBe("198.18.0.250");
      expect(mine["OPENSTACK_KEYSTONE_URL"]).toBe("http://198.18.0.250:5000/v3");
      expect(mine["OPENSTACK_ENDPOINT_TYPE"]).toBe("internalURL");
      expect(mine["OPENSTACK_KEYSTONE_DEFAULT_DOMAIN"]).toBe("Default");
      expect(mine["OPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT"]).toBe(false);
      expect(mine["OPENSTACK_KEYSTONE_DOMAIN_DROPDOWN"]).toBe(false);
      expect(mine["OPENSTACK_KEYSTONE_DOMAIN_CHOICES"]).toEqual([["Default", "default"]]);
      expect(mine["OPENSTACK_KEYSTONE_DEFAULT_ROLE"]).toBe("member");
      expect(mine["OPENSTACK_API_VERSIONS"]).toEqual({ identity: 3 });
    });

    it("webroot, hosts, secret, debug, neutron: router on, DVR and HA off", () => {
      expect(final["WEBROOT"]).toBe("/");
      expect(mine["WEBROOT"]).toBe("/");
      expect(mine["ALLOWED_HOSTS"]).toEqual(["*"]);
      expect(mine["SECRET_KEY"]).toBe("pw-horizon-secret-key");
      expect(final["DEBUG"]).toBe(false);
      expect(mine["OPENSTACK_NEUTRON_NETWORK"]).toMatchObject({
        enable_router: true, enable_quotas: true, enable_ipv6: true, enable_distributed_router: false, enable_ha_router: false,
      });
      expect(mine["OPENSTACK_CINDER_FEATURES"]).toEqual({ enable_backup: true });
      expect(mine).not.toHaveProperty("SECURE_PROXY_SSL_HEADER");
      // Debian's policy files stay where openstack_dashboard/conf points (kolla's path would lose them).
      expect(mine).not.toHaveProperty("POLICY_FILES_PATH");
    });

    it("static files and offline compression agree with the image's snippets, links and hook", () => {
      expect(mine["COMPRESS_OFFLINE"]).toBe(true);
      expect(final["COMPRESS_OFFLINE"]).toBe(true);
      const root = String(mine["STATIC_ROOT"]);
      expect(root).toBe("/var/lib/openstack-dashboard/static");
      expect(String(final["STATIC_ROOT"]).replace(/\/$/, "")).toBe(root);
      const statics = /\n {4}Alias \/static (\S+)\n/.exec(confText)![1]!;
      expect(imageLink(statics)).toBe(root);
    });
  });
});

describe.skipIf(py === undefined)("roles/horizon with other settings", () => {
  it("TLS: proxied https and secure cookies; the public keystone URL when asked", async () => {
    const files = await plan('kolla_enable_tls_internal: "yes"\nhorizon_use_keystone_public_url: "yes"\nkolla_external_vip_address: "198.18.0.251"\n', ["horizon"]);
    const s = settingsOf(files.get("node1")!.get("/etc/kolla/horizon/local_settings")!, true);
    expect(s["SECURE_PROXY_SSL_HEADER"]).toEqual(["HTTP_X_FORWARDED_PROTO", "https"]);
    expect([s["CSRF_COOKIE_SECURE"], s["SESSION_COOKIE_SECURE"]]).toEqual([true, true]);
    expect(s["OPENSTACK_KEYSTONE_URL"]).toBe("http://198.18.0.251:5000/v3");
  });

  it("multidomain with a domain dropdown, debug on, no cinder backup; keystone internal beside an external VIP", async () => {
    const files = await plan("kolla_external_vip_address: \"198.18.0.251\"\nhorizon_keystone_multidomain: true\nhorizon_keystone_domain_choices: {Default: default, Lab: lab}\nopenstack_logging_debug: \"True\"\nenable_cinder_backup: \"no\"\n", ["horizon"]);
    const s = settingsOf(files.get("node1")!.get("/etc/kolla/horizon/local_settings")!, true);
    expect(s["OPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT"]).toBe(true);
    expect(s["OPENSTACK_KEYSTONE_DOMAIN_DROPDOWN"]).toBe(true);
    expect(s["OPENSTACK_KEYSTONE_DOMAIN_CHOICES"]).toEqual([["Default", "default"], ["Lab", "lab"]]);
    expect(s["DEBUG"]).toBe(true);
    expect(s["OPENSTACK_CINDER_FEATURES"]).toEqual({ enable_backup: false });
    expect(s["OPENSTACK_KEYSTONE_URL"]).toBe("http://198.18.0.250:5000/v3");
  });
});
