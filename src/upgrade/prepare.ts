/**
 * Validation for upgrade and rollback, before any host is touched: `--service` names a role,
 * `--tag` becomes an extra-vars layer, then everything else is apply/prepare's.
 */
import { DEFAULT_ROLES_DIR, prepare, type Prepared } from "../apply/prepare.js";
import type { CommonOptions } from "../options.js";
import { DeployError } from "../errors.js";
import { loadRoles, selectRoles } from "../roles/index.js";
import { checkTag, roleForService, tagOverride } from "./select.js";

export interface RolloutScope {
  /** a role name (kolla project) or one of its tags; absent: every role --tags selects */
  readonly service?: string;
  /** the image tag to move to (upgrade only) */
  readonly tag?: string;
}

export function prepareRollout(common: CommonOptions, scope: RolloutScope, rolesDir = DEFAULT_ROLES_DIR): Prepared {
  if (scope.service !== undefined && common.tags.length > 0) {
    throw new DeployError("E_USAGE", "--service and --tags both select roles", "give one of them: --service keystone, or --tags keystone,glance");
  }
  const allRoles = loadRoles(rolesDir);
  const tags = scope.service === undefined ? common.tags : [roleForService(allRoles, scope.service).name];
  let extraVars = common.extraVars;
  if (scope.tag !== undefined) {
    const roles = selectRoles(allRoles, tags, common.skipTags);
    extraVars = [...extraVars, tagOverride(roles, checkTag(scope.tag))];
  }
  return prepare({ ...common, tags, extraVars }, rolesDir);
}
