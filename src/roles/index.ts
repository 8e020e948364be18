/**
 * Roles as data (docs/roles.md): load `roles/site.yml` and every listed `roles/<role>/`, validate
 * them all in one pass, select them by tag. No I/O beyond reading the role files; nothing is rendered.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join as joinPath } from "node:path";
import { DeployError, Diagnostics } from "../errors.js";
import { readYaml } from "./reader.js";
import { parseRoleDir } from "./parse-role.js";
import { checkAcrossRoles } from "./cross-checks.js";
import type { Role } from "./types.js";

export type * from "./types.js";
export { checkRoleGroups, servicesInGroups } from "./cross-checks.js";

export interface LoadRolesOptions {
  /**
   * Inventory group names the roles may use (e.g. from the project's inventory/multinode). When given,
   * a service mapped to a group outside this set is an error: it would silently deploy nowhere.
   */
  readonly knownGroups?: ReadonlySet<string>;
}

/** Every role listed in `<rolesDir>/site.yml`, in that order; throws listing every problem. */
export function loadRoles(rolesDir: string, options: LoadRolesOptions = {}): Role[] {
  const diags = new Diagnostics();
  const display = basename(rolesDir);
  const names = readSiteOrder(rolesDir, display, diags);
  const roles = names.flatMap((name) => parseRoleDir(rolesDir, display, name, diags) ?? []);
  checkUnlisted(rolesDir, display, names, diags);
  checkAcrossRoles(roles, display, diags, options.knownGroups);
  diags.throwIfAny();
  return roles;
}

function readSiteOrder(rolesDir: string, display: string, diags: Diagnostics): string[] {
  const file = `${display}/site.yml`;
  const path = joinPath(rolesDir, "site.yml");
  if (!existsSync(path)) {
    diags.add(new DeployError("E_ROLE_MISSING", "site.yml is missing", "list the roles in kolla's site order under roles:", { where: { file } }));
    return [];
  }
  const parsed = readYaml(file, readFileSync(path, "utf8"), diags);
  if (parsed === undefined) return [];
  const fields = parsed.reader.map(parsed.root, "", ["roles"], ["roles"], 1);
  const names = parsed.reader.textList(fields?.get("roles"), "roles");
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) parsed.reader.fail(fields?.get("roles")?.line, "roles", `"${name}" is listed twice`, "each role runs once, in site order");
    seen.add(name);
  }
  return [...seen];
}

/** A role directory missing from site.yml would never run: almost always a forgotten line. */
function checkUnlisted(rolesDir: string, display: string, listed: readonly string[], diags: Diagnostics): void {
  for (const entry of readdirSync(rolesDir, { withFileTypes: true })) {
    if (entry.isDirectory() && !listed.includes(entry.name)) {
      diags.add(new DeployError("E_ROLE_UNLISTED", `role directory ${entry.name}/ is not listed in site.yml`, `add "- ${entry.name}" to site.yml at its place in kolla's order`, { where: { file: `${display}/site.yml` } }));
    }
  }
}

/**
 * The roles `--tags`/`--skip-tags` select, in site order. A tag matches a role by its name or one
 * of its `tags:` (kolla's play tags, e.g. `haproxy` → loadbalancer). No tags = every role.
 * An unknown tag is an error (kolla ignores it silently, which hides typos).
 */
export function selectRoles(roles: readonly Role[], tags: readonly string[], skipTags: readonly string[]): Role[] {
  const known = new Set(roles.flatMap(roleTags));
  const diags = new Diagnostics();
  for (const [flag, list] of [["--tags", tags], ["--skip-tags", skipTags]] as const) {
    for (const tag of list) {
      if (!known.has(tag)) {
        diags.add(new DeployError("E_ROLE_TAG", `${flag}: unknown tag "${tag}"`, `tags are role names or role tags: ${[...known].join(", ")}`));
      }
    }
  }
  diags.throwIfAny();
  const matches = (role: Role, list: readonly string[]): boolean => roleTags(role).some((t) => list.includes(t));
  return roles.filter((role) => (tags.length === 0 || matches(role, tags)) && !matches(role, skipTags));
}

function roleTags(role: Role): string[] {
  return [role.name, ...role.tags];
}

/** Each role's defaults.yml text in site order, for the config layer (lowest precedence). */
export function roleDefaultsSources(roles: readonly Role[]): { file: string; text: string }[] {
  return roles.flatMap((role) =>
    role.defaultsFile === undefined ? [] : [{ file: role.defaultsFile, text: readFileSync(role.defaultsFile, "utf8") }],
  );
}

/** The built-in template text of a role, by file name under templates/ (for the renderer). */
export function readRoleTemplate(role: Role, name: string): string {
  if (!role.templates.includes(name)) {
    throw new DeployError("E_ROLE_TEMPLATE", `template "${name}" not found in ${role.name}/templates/`, "the role was validated; was the file removed since?");
  }
  return readFileSync(joinPath(role.dir, "templates", name), "utf8");
}
