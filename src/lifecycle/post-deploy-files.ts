/**
 * The credentials files `post-deploy` writes, as kolla's post-deploy playbook does: admin and
 * public openrc scripts (project- and system-scoped) and clouds.yaml. Pure: values in, text out.
 * Every value is quoted for its file (a password may contain any character).
 */
import { toYaml } from "../config/index.js";

export interface CloudCredentials {
  readonly internalUrl: string;
  readonly publicUrl: string;
  readonly username: string;
  readonly password: string;
  readonly project: string;
  readonly projectDomain: string;
  readonly userDomain: string;
  readonly region: string;
  /** CA bundle for TLS endpoints (kolla_admin_openrc_cacert); empty = none */
  readonly cacert: string;
  /** services whose clients read their own endpoint-type variable (manila, mistral when enabled) */
  readonly endpointTypeServices: readonly string[];
}

export interface CredentialFile {
  readonly name: string;
  readonly content: string;
}

/** POSIX single quotes: the shell takes the value literally, whatever it contains. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

type Side = "internal" | "public";
type Scope = "project" | "system";

function openrc(c: CloudCredentials, side: Side, scope: Scope): string {
  const exp = (name: string, value: string) => `export ${name}=${shellQuote(value)}`;
  const lines = [
    "# Written by kolla-deploy post-deploy. Source it: . ./<this file>",
    "# Clear OS_* variables a previous openrc left, so they cannot mix with these.",
    "for key in $(env | sed -n 's/^\\(OS_[A-Za-z0-9_]*\\)=.*/\\1/p'); do unset \"$key\"; done",
  ];
  if (scope === "project") {
    lines.push(exp("OS_PROJECT_DOMAIN_NAME", c.projectDomain), exp("OS_PROJECT_NAME", c.project), exp("OS_TENANT_NAME", c.project));
  } else {
    lines.push(exp("OS_SYSTEM_SCOPE", "all"));
  }
  lines.push(
    exp("OS_USER_DOMAIN_NAME", c.userDomain),
    exp("OS_USERNAME", c.username),
    exp("OS_PASSWORD", c.password),
    exp("OS_AUTH_URL", side === "internal" ? c.internalUrl : c.publicUrl),
    exp("OS_INTERFACE", side),
    exp("OS_ENDPOINT_TYPE", `${side}URL`),
    ...c.endpointTypeServices.map((s) => exp(`OS_${s.toUpperCase()}_ENDPOINT_TYPE`, `${side}URL`)),
    exp("OS_IDENTITY_API_VERSION", "3"),
    exp("OS_REGION_NAME", c.region),
    exp("OS_AUTH_PLUGIN", "password"),
  );
  if (c.cacert !== "") lines.push(exp("OS_CACERT", c.cacert));
  return lines.join("\n") + "\n";
}

function cloud(c: CloudCredentials, side: Side, scope: Scope): Record<string, unknown> {
  const auth: Record<string, string> = { auth_url: side === "internal" ? c.internalUrl : c.publicUrl };
  if (scope === "project") Object.assign(auth, { project_domain_name: c.projectDomain, project_name: c.project });
  else auth.system_scope = "all";
  Object.assign(auth, { user_domain_name: c.userDomain, username: c.username, password: c.password });
  return {
    auth,
    ...(side === "internal" ? { interface: "internal" } : {}),
    region_name: c.region,
    ...(c.cacert === "" ? {} : { cacert: c.cacert }),
  };
}

/** kolla's four clouds: admin and admin-system, each on the public and on the internal endpoint. */
export function cloudsYaml(c: CloudCredentials): string {
  const clouds = {
    "kolla-admin": cloud(c, "public", "project"),
    "kolla-admin-system": cloud(c, "public", "system"),
    "kolla-admin-internal": cloud(c, "internal", "project"),
    "kolla-admin-system-internal": cloud(c, "internal", "system"),
  };
  return "# Written by kolla-deploy post-deploy.\n" + toYaml({ clouds });
}

/** Every file, by name: admin-* use the internal endpoint, public-* the public one (as kolla). */
export function credentialFiles(c: CloudCredentials): CredentialFile[] {
  return [
    { name: "admin-openrc.sh", content: openrc(c, "internal", "project") },
    { name: "admin-openrc-system.sh", content: openrc(c, "internal", "system") },
    { name: "public-openrc.sh", content: openrc(c, "public", "project") },
    { name: "public-openrc-system.sh", content: openrc(c, "public", "system") },
    { name: "clouds.yaml", content: cloudsYaml(c) },
  ];
}
