/**
 * Every shipped role under roles/ loads and validates against the project's inventory groups, and
 * every template compiles with exactly the helpers src/template provides.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Handlebars from "handlebars";
import { describe, expect, it } from "vitest";
import { ValidationFailed } from "../../../src/errors.js";
import { loadRoles, readRoleTemplate, type Role } from "../../../src/roles/index.js";
import { REPO_ROOT } from "../../helpers/cli.js";

const ROLES_DIR = join(REPO_ROOT, "roles");
// The project's own inventory once it exists; kolla's unmodified one until then (same group names).
const INVENTORY = [join(REPO_ROOT, "inventory", "multinode"), "/work/shared/data/kolla-inventory/multinode"].find(existsSync);
// The helper names the template engine registers (docs/roles.md); knownHelpersOnly rejects any other.
const HELPERS = "eq ne lt gt le ge and or not bool default join concat upper lower json contains in_group group_hosts hostvar address first length".split(" ");

function inventoryGroups(path: string): Set<string> {
  const groups = new Set<string>();
  for (const match of readFileSync(path, "utf8").matchAll(/^\[([^\]:]+)(?::children)?\]/gm)) groups.add(match[1]!);
  return groups;
}

function loadShipped(): Role[] {
  try {
    return loadRoles(ROLES_DIR, { knownGroups: inventoryGroups(INVENTORY!) });
  } catch (error) {
    if (error instanceof ValidationFailed) throw new Error(error.oneLine());
    throw error;
  }
}

function compile(source: string): void {
  const knownHelpers = Object.fromEntries(HELPERS.map((name) => [name, true]));
  Handlebars.precompile(source, { strict: true, noEscape: true, knownHelpers, knownHelpersOnly: true });
}

describe("shipped roles", () => {
  const roles = loadShipped();

  it("load in kolla's site order", () => {
    expect(roles.map((r) => r.name)).toEqual([
      "common", "loadbalancer", "mariadb", "memcached", "rabbitmq", "keystone", "glance", "cinder",
      "placement", "openvswitch", "nova", "neutron", "heat", "horizon",
    ].filter((name) => existsSync(join(ROLES_DIR, name))));
  });

  it("every template compiles with the registered helpers only", () => {
    const failures: string[] = [];
    for (const role of roles) {
      for (const name of role.templates) {
        try {
          compile(readRoleTemplate(role, name));
        } catch (error) {
          failures.push(`${role.name}/templates/${name}: ${(error as Error).message.split("\n")[0]}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("every template string in role.yml compiles", () => {
    const failures: string[] = [];
    for (const role of roles) {
      for (const text of templateStrings(role)) {
        try {
          compile(text);
        } catch (error) {
          failures.push(`${role.name}: ${text}: ${(error as Error).message.split("\n")[0]}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("every config.json template declares the container command", () => {
    for (const role of roles) {
      for (const service of role.services) {
        const text = readRoleTemplate(role, service.configJson);
        expect(text, `${role.name}/${service.configJson}`).toMatch(/"command":/);
      }
    }
  });
});

function templateStrings(role: Role): string[] {
  return role.services.flatMap((s) => [
    s.image, ...(s.command === undefined ? [] : [s.command]), ...Object.values(s.environment), ...s.volumes,
    ...s.configFiles.flatMap((cf) => cf.overrides),
  ]).concat(role.haproxy.flatMap((h) => [h.port, h.listenPort, ...h.frontendExtra, ...h.backendExtra]));
}
