/**
 * Checks of the deployment host's own inputs, needing no exec: passwords.yml has no empty value
 * (kolla's "run kolla-genpwd" check), and every enabled service has hosts to run on. Pure.
 */
import { DeployError, type SourceLocation } from "../errors.js";
import { hostsInGroup } from "../inventory/index.js";
import type { Inventory, Vars } from "../inventory/types.js";
import { allEnabled } from "../plan/render-files.js";
import type { Role } from "../roles/index.js";
import type { CheckOutcome } from "./types.js";

export interface PasswordEntry {
  readonly key: string;
  readonly value: unknown;
  readonly where?: SourceLocation;
}

/** Keys kolla lets stay empty: an optional registry login, and Ceph secrets when Ceph is not used. */
const MAY_BE_EMPTY = new Set(["docker_registry_password"]);
const MAY_BE_NULL = new Set(["ceph_backend_secrets"]);

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === "string" && value.trim() === "");
}

/** `entries` undefined: the passwords file does not exist. Values are never quoted in messages. */
export function checkPasswords(file: string, entries: readonly PasswordEntry[] | undefined): CheckOutcome {
  const hint = "run kolla-deploy genpwd (it fills every empty value and keeps the others)";
  if (entries === undefined) {
    const problem = new DeployError("E_PRECHECK_PASSWORD", "the passwords file does not exist", hint, { where: { file } });
    return { check: "passwords", status: "fail", note: "", problems: [problem] };
  }
  const problems = entries
    .filter((e) => !MAY_BE_EMPTY.has(e.key) && !(MAY_BE_NULL.has(e.key) && e.value === null) && isEmpty(e.value))
    .map((e) => new DeployError("E_PRECHECK_PASSWORD", "empty password", hint, { where: { ...(e.where ?? { file }), key: e.key } }));
  const note = `${entries.length} set`;
  return { check: "passwords", status: problems.length === 0 ? "ok" : "fail", note: problems.length === 0 ? note : "", problems };
}

/** Each enabled service of the selected roles needs at least one host in its groups. */
export function checkGroups(inventory: Inventory, roles: readonly Role[], vars: Vars, inventoryFile: string): CheckOutcome {
  const problems: DeployError[] = [];
  let services = 0;
  for (const role of roles) {
    for (const service of role.services.filter((s) => allEnabled(s.enabled, vars))) {
      services++;
      const hosts = service.groups.flatMap((g) => (inventory.groups.has(g) ? hostsInGroup(inventory, g) : []));
      if (hosts.length > 0) continue;
      const groups = service.groups.map((g) => `[${g}]${inventory.groups.has(g) ? "" : " (not defined)"}`).join(", ");
      const switches = service.enabled.length > 0 ? ` or turn it off (${service.enabled.map((e) => `${e}: no`).join(", ")})` : "";
      problems.push(
        new DeployError("E_PRECHECK_GROUP", `${service.key} (role ${role.name}) is enabled but ${groups} has no host`, `add a host to [${service.groups[0]}] in ${inventoryFile}${switches}`, { where: { file: inventoryFile } }),
      );
    }
  }
  return { check: "groups", status: problems.length === 0 ? "ok" : "fail", note: problems.length === 0 ? `${services} services placed` : "", problems };
}
