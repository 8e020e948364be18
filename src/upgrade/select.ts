/**
 * Which roles an upgrade or rollback works on, and the variables `--tag` overrides. Pure apart
 * from reading the roles' defaults.yml text (through the roles module).
 */
import { DeployError } from "../errors.js";
import { roleDefaultsSources, type Role } from "../roles/index.js";

/** The role `--service NAME` names: a role (kolla project) name or one of its tags. */
export function roleForService(allRoles: readonly Role[], service: string): Role {
  const role = allRoles.find((r) => r.name === service || r.project === service || r.tags.includes(service));
  if (role !== undefined) return role;
  const known = allRoles.flatMap((r) => [r.name, ...r.tags]);
  throw new DeployError("E_USAGE", `--service: unknown service "${service}"`, `name a role or one of its tags: ${known.join(", ")}`);
}

/** Top-level `*_tag` variables a defaults.yml defines (e.g. keystone_tag; cron_tag, fluentd_tag for common). */
export function tagVariablesIn(defaultsText: string): string[] {
  return [...defaultsText.matchAll(/^([A-Za-z_][A-Za-z0-9_]*_tag)\s*:/gm)].map((m) => m[1]!);
}

/**
 * `--tag T` as one -e layer: kolla derives every image tag from openstack_tag through
 * `<project>_tag` (and per-service `<service>_tag`) variables, and an operator may have set any of
 * them in globals.yml, so all of the roles' tag variables are set, above globals.yml.
 */
export function tagOverride(roles: readonly Role[], tag: string): string {
  const names = roleDefaultsSources(roles).flatMap((source) => tagVariablesIn(source.text));
  const vars: Record<string, string> = { openstack_tag: tag };
  for (const name of names) vars[name] = tag;
  return JSON.stringify(vars);
}

/** `--tag` must be a valid image tag: it ends up in image references on every host. */
export function checkTag(tag: string): string {
  if (/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) return tag;
  throw new DeployError("E_USAGE", `--tag: "${tag}" is not a valid image tag`, "letters, digits, '_', '.', '-'; at most 128 characters");
}
