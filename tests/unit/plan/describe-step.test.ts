import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commandWords, describeStep } from "../../../src/plan/bootstrap.js";
import { loadRoles } from "../../../src/roles/index.js";
import { REPO_ROOT } from "../../helpers/cli.js";

describe("what plans and progress call an exec step", () => {
  it("the command's literal words up to its first option or template", () => {
    expect(commandWords(["nova-manage", "cell_v2", "map_cell0"])).toBe("nova-manage cell_v2 map_cell0");
    expect(commandWords(["nova-manage", "cell_v2", "create_cell", "--name", "{{nova_cell_name}}"])).toBe("nova-manage cell_v2 create_cell");
    expect(commandWords(["kolla_keystone_bootstrap", "{{keystone_admin_user}}", "{{keystone_admin_password}}"])).toBe("kolla_keystone_bootstrap");
    expect(commandWords(["{{tool}}"])).toBe("command");
  });

  it("never shows a rendered template: no shipped role's exec step leaks what its templates render to", () => {
    const roles = loadRoles(join(REPO_ROOT, "roles"));
    const steps = roles.flatMap((r) => r.bootstrap).filter((s) => s.kind === "exec");
    expect(steps.length).toBeGreaterThan(5);
    for (const step of steps) {
      // container names are templates too; they render to container names, never secrets
      const line = describeStep(step, (t) => (t.includes("{{") ? "S3CRET" : t));
      expect(line, JSON.stringify(step.command)).not.toContain("S3CRET");
    }
  });
});
