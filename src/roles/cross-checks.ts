/** Checks that span roles: unique names, and groups that exist in the inventory. Pure. */
import { DeployError, type Diagnostics } from "../errors.js";
import type { Role, ServiceDef } from "./types.js";

export function checkAcrossRoles(roles: readonly Role[], display: string, diags: Diagnostics, knownGroups?: ReadonlySet<string>): void {
  const file = (role: Role): string => `${display}/${role.name}/role.yml`;
  const containers = new Map<string, string>();
  const frontends = new Map<string, string>();
  for (const role of roles) {
    for (const service of role.services) {
      const owner = containers.get(service.containerName);
      if (owner !== undefined) {
        diags.add(duplicate(file(role), service.where.line, `services.${service.key}.container_name`, `container "${service.containerName}"`, owner));
      }
      containers.set(service.containerName, role.name);
    }
    for (const frontend of role.haproxy) {
      const owner = frontends.get(frontend.name);
      if (owner !== undefined) diags.add(duplicate(file(role), frontend.where.line, `haproxy.${frontend.name}`, "haproxy frontend", owner));
      frontends.set(frontend.name, role.name);
    }
  }
  if (knownGroups !== undefined) for (const error of checkRoleGroups(roles, knownGroups, display)) diags.add(error);
}

function duplicate(file: string, line: number | undefined, key: string, what: string, owner: string): DeployError {
  return new DeployError("E_ROLE_DUPLICATE", `${what} is already defined by role ${owner}`, "names must be unique across roles", {
    where: { file, key, ...(line === undefined ? {} : { line }) },
  });
}

/**
 * Every service's groups exist in `knownGroups`. Returned, not thrown, so a caller may choose to
 * report them as it likes; loadRoles() treats them as errors, as kolla's service-precheck does.
 */
export function checkRoleGroups(roles: readonly Role[], knownGroups: ReadonlySet<string>, display = "roles"): DeployError[] {
  return roles.flatMap((role) => {
    const file = `${display}/${role.name}/role.yml`;
    const fromServices = role.services.flatMap((service) =>
      service.groups.map((group) => ({ group, key: `services.${service.key}.group`, line: service.where.line })));
    const fromSteps = role.bootstrap.flatMap((step, i) =>
      step.kind === "exec" ? step.groups.map((group) => ({ group, key: `bootstrap[${i}].group`, line: step.where.line })) : []);
    return [...fromServices, ...fromSteps]
      .filter((use) => !knownGroups.has(use.group))
      .map((use) => new DeployError("E_ROLE_GROUP", `group "${use.group}" is not in the inventory`, `add [${use.group}:children] to the inventory, or use an existing group`, {
        where: { file, key: use.key, ...(use.line === undefined ? {} : { line: use.line }) },
      }));
  });
}

/** Services of `roles` whose groups include any of `groups` (e.g. a host's group_names). */
export function servicesInGroups(roles: readonly Role[], groups: ReadonlySet<string>): ServiceDef[] {
  return roles.flatMap((role) => role.services.filter((service) => service.groups.some((g) => groups.has(g))));
}
