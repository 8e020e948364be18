/**
 * post-deploy: the credentials files are usable as written (a shell sources them and gets exactly
 * the values, whatever characters the password has; clouds.yaml parses to kolla's structure), are
 * written 0600, and the verb reports missing values with file:line and never prints the password.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "../../helpers/cli.js";
import { kollaLayout } from "../../helpers/deploy-env.js";
import { credentialFiles, type CloudCredentials } from "../../../src/lifecycle/post-deploy-files.js";
import { writePrivateFile } from "../../../src/lifecycle/post-deploy.js";
import { DeployError } from "../../../src/errors.js";

const nasty = `it's "$HOME" \`id\` \\ ;|&`;
const creds: CloudCredentials = {
  internalUrl: "http://10.0.0.250:5000",
  publicUrl: "https://cloud.example:5000",
  username: "admin",
  password: nasty,
  project: "admin",
  projectDomain: "Default",
  userDomain: "Default",
  region: "RegionOne",
  cacert: "",
  endpointTypeServices: [],
};

function sourced(file: string, before: Record<string, string> = {}): Record<string, string> {
  const out = execFileSync("sh", ["-c", '. "$1"; env', "sh", file], { encoding: "utf8", env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...before } });
  return Object.fromEntries(out.split("\n").filter((l) => l.startsWith("OS_")).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
}

function writeAll(c: CloudCredentials): string {
  const dir = mkdtempSync(join(tmpdir(), "kd-openrc-"));
  for (const f of credentialFiles(c)) writeFileSync(join(dir, f.name), f.content);
  return dir;
}

describe("credentials files", () => {
  it("admin-openrc.sh: the internal endpoint and exactly the password, and it clears stale OS_ variables", () => {
    const env = sourced(join(writeAll(creds), "admin-openrc.sh"), { OS_CLOUD: "stale", OS_TOKEN: "old" });
    expect(env).toEqual({
      OS_PROJECT_DOMAIN_NAME: "Default",
      OS_PROJECT_NAME: "admin",
      OS_TENANT_NAME: "admin",
      OS_USER_DOMAIN_NAME: "Default",
      OS_USERNAME: "admin",
      OS_PASSWORD: nasty,
      OS_AUTH_URL: "http://10.0.0.250:5000",
      OS_INTERFACE: "internal",
      OS_ENDPOINT_TYPE: "internalURL",
      OS_IDENTITY_API_VERSION: "3",
      OS_REGION_NAME: "RegionOne",
      OS_AUTH_PLUGIN: "password",
    });
  });

  it("public-openrc.sh uses the public endpoint; -system variants are system-scoped; cacert and manila when set", () => {
    const dir = writeAll({ ...creds, cacert: "/etc/ssl/ca.pem", endpointTypeServices: ["manila"] });
    const pub = sourced(join(dir, "public-openrc.sh"));
    expect(pub).toMatchObject({ OS_AUTH_URL: "https://cloud.example:5000", OS_INTERFACE: "public", OS_ENDPOINT_TYPE: "publicURL", OS_CACERT: "/etc/ssl/ca.pem", OS_MANILA_ENDPOINT_TYPE: "publicURL" });
    const sys = sourced(join(dir, "admin-openrc-system.sh"));
    expect(sys).toMatchObject({ OS_SYSTEM_SCOPE: "all", OS_AUTH_URL: "http://10.0.0.250:5000" });
    expect(sys.OS_PROJECT_NAME).toBeUndefined();
  });

  it("clouds.yaml parses to kolla's four clouds with the right endpoints and the exact password", () => {
    const doc = parse(readFileSync(join(writeAll(creds), "clouds.yaml"), "utf8")) as { clouds: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.clouds)).toEqual(["kolla-admin", "kolla-admin-system", "kolla-admin-internal", "kolla-admin-system-internal"]);
    expect(doc.clouds["kolla-admin"]).toEqual({
      auth: { auth_url: "https://cloud.example:5000", project_domain_name: "Default", project_name: "admin", user_domain_name: "Default", username: "admin", password: nasty },
      region_name: "RegionOne",
    });
    expect(doc.clouds["kolla-admin-internal"]).toMatchObject({ auth: { auth_url: "http://10.0.0.250:5000" }, interface: "internal" });
    expect(doc.clouds["kolla-admin-system"]).toMatchObject({ auth: { system_scope: "all" } });
  });

  it("writePrivateFile() writes mode 0600 through a temporary file, leaving nothing else behind", () => {
    const dir = mkdtempSync(join(tmpdir(), "kd-private-"));
    const path = join(dir, "admin-openrc.sh");
    writeFileSync(path, "old", { mode: 0o644 });
    writePrivateFile(path, "new\n");
    expect(readFileSync(path, "utf8")).toBe("new\n");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["admin-openrc.sh"]);
    expect(() => writePrivateFile(join(dir, "missing", "x"), "y")).toThrow(DeployError);
  });
});

describe("post-deploy verb", () => {
  const env = { KOLLA_DEPLOY_GENPWD_RSA_BITS: "1024" };
  function configdir(): string {
    const dir = mkdtempSync(join(tmpdir(), "kd-postdeploy-"));
    writeFileSync(join(dir, "globals.yml"), 'kolla_internal_vip_address: "10.1.0.250"\nnetwork_interface: "eth0"\n');
    copyFileSync(join(REPO_ROOT, "etc", "kolla", "passwords.yml"), join(dir, "passwords.yml"));
    return dir;
  }

  it("reports an empty keystone_admin_password with passwords.yml:line and writes nothing (exit 65)", () => {
    const dir = configdir();
    const r = runCli(["post-deploy", "-i", join(REPO_ROOT, "inventory", "all-in-one"), "--configdir", dir], { env });
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/passwords\.yml:\d+: keystone_admin_password: empty value \[E_POST_DEPLOY_VAR\] \(hint: run `kolla-deploy genpwd`/);
    expect(existsSync(join(dir, "admin-openrc.sh"))).toBe(false);
  });

  it("writes every file 0600 for an inventory without localhost (the all group's values), never printing the password", () => {
    const dir = configdir();
    expect(runCli(["genpwd", "-p", join(dir, "passwords.yml")], { env }).code).toBe(0);
    const inventory = join(dir, "hosts");
    const hosts = "[control]\nctl1 ansible_host=10.1.0.11\n[network]\n[compute]\n[monitoring]\n[storage]\n[deployment]\n[all:vars]\nopenstack_region_name=RegionTwo\n";
    writeFileSync(inventory, `${hosts}\n${kollaLayout()}`);
    const r = runCli(["post-deploy", "-i", inventory, "--configdir", dir], { env });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const password = /^keystone_admin_password: (.+)$/m.exec(readFileSync(join(dir, "passwords.yml"), "utf8"))![1]!.trim();
    expect(r.stdout).not.toContain(password);
    for (const name of ["admin-openrc.sh", "admin-openrc-system.sh", "public-openrc.sh", "public-openrc-system.sh", "clouds.yaml"]) {
      expect(r.stdout).toContain(`wrote ${join(dir, name)} (0600)`);
      expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
    }
    expect(sourced(join(dir, "admin-openrc.sh"))).toMatchObject({ OS_AUTH_URL: "http://10.1.0.250:5000", OS_PASSWORD: password, OS_REGION_NAME: "RegionTwo" });
  });

  it("--json lists the files", () => {
    const dir = configdir();
    runCli(["genpwd", "-p", join(dir, "passwords.yml")], { env });
    const r = runCli(["post-deploy", "--json", "-i", join(REPO_ROOT, "inventory", "all-in-one"), "--configdir", dir], { env });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { files: { path: string }[] }).files.map((f) => f.path)).toContain(join(dir, "clouds.yaml"));
  });
});
