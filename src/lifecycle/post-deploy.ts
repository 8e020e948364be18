/**
 * `post-deploy`: writes the credentials files (post-deploy-files.ts) into the config directory on
 * the deployment host, mode 0600, each through a temporary file and rename(). No host is contacted.
 *
 * The values are those of kolla's implicit `localhost` (the play runs there): the deployment host's
 * own variables when the inventory lists `localhost`, else the `all` group's.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Prepared } from "../apply/prepare.js";
import type { CommonOptions } from "../options.js";
import { loadConfig, toBool, type Config } from "../config/index.js";
import { DeployError, Diagnostics } from "../errors.js";
import type { Inventory } from "../inventory/types.js";
import { roleDefaultsSources } from "../roles/index.js";
import { credentialFiles, type CloudCredentials } from "./post-deploy-files.js";

const DEPLOYMENT_HOST = "localhost";

/** The inventory plus an implicit `localhost` in no group: it gets the `all` group's variables, as in Ansible. */
export function withImplicitLocalhost(inventory: Inventory): Inventory {
  if (inventory.hosts.has(DEPLOYMENT_HOST)) return inventory;
  const hosts = new Map(inventory.hosts);
  hosts.set(DEPLOYMENT_HOST, { name: DEPLOYMENT_HOST, vars: { ansible_connection: "local" } });
  return { ...inventory, hosts };
}

/** The variables as the deployment host sees them. */
export function deploymentHostConfig(p: Prepared, common: CommonOptions): Config {
  if (p.inventory.hosts.has(DEPLOYMENT_HOST)) return p.config;
  return loadConfig(
    {
      configdir: common.configdir,
      ...(common.passwords === undefined ? {} : { passwordsFile: common.passwords }),
      extraVars: common.extraVars,
      roleDefaults: roleDefaultsSources(p.allRoles),
    },
    withImplicitLocalhost(p.inventory),
  );
}

/** Reads the credentials; every missing or empty value is reported at once, with where it was (not) set. */
export function credentialsFrom(config: Config): CloudCredentials {
  const vars = config.varsFor(DEPLOYMENT_HOST);
  const diags = new Diagnostics();
  const required = (name: string): string => {
    const value = vars[name];
    if (typeof value === "string" || typeof value === "number") {
      if (String(value) !== "") return String(value);
    }
    const where = config.origin(DEPLOYMENT_HOST, name);
    const hint = name.endsWith("_password") ? "run `kolla-deploy genpwd` to fill passwords.yml" : `set ${name} in globals.yml`;
    if (where === undefined) diags.add(new DeployError("E_POST_DEPLOY_VAR", `${name} is not set`, hint));
    else diags.add(new DeployError("E_POST_DEPLOY_VAR", "empty value", hint, { where: { ...where, key: name } }));
    return "";
  };
  const optional = (name: string, fallback: string): string => {
    const value = vars[name];
    return value === undefined || value === null ? fallback : String(value);
  };
  const credentials: CloudCredentials = {
    internalUrl: required("keystone_internal_url"),
    publicUrl: required("keystone_public_url"),
    username: required("keystone_admin_user"),
    password: required("keystone_admin_password"),
    project: required("keystone_admin_project"),
    projectDomain: optional("default_project_domain_name", "Default"),
    userDomain: optional("default_user_domain_name", "Default"),
    region: required("openstack_region_name"),
    cacert: optional("kolla_admin_openrc_cacert", ""),
    endpointTypeServices: ["manila", "mistral"].filter((s) => toBool(vars[`enable_${s}`] ?? false)),
  };
  diags.throwIfAny();
  return credentials;
}

/** Writes one file so that no reader ever sees it half-written or with a wider mode than 0600. */
export function writePrivateFile(path: string, content: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    const fd = openSync(temp, "wx", 0o600);
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(temp, 0o600);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new DeployError("E_POST_DEPLOY_WRITE", `cannot write ${path} (${reason})`, "the config directory must exist and be writable by you (kolla writes it as root: try sudo)", { cause: error });
  }
}

/** Writes every credentials file into `configdir`; returns their paths. */
export function writeCredentialFiles(configdir: string, credentials: CloudCredentials): string[] {
  return credentialFiles(credentials).map((f) => {
    const path = join(configdir, f.name);
    writePrivateFile(path, f.content);
    return path;
  });
}
