/** A step with rerun_on_change counts as done only while its rendered command is the one it last ran. */
import { describe, expect, it } from "vitest";
import { DEFAULT_ROLES_DIR } from "../../../src/apply/prepare.js";
import { dockerDriver } from "../../../src/engine/driver.js";
import { doneKey, reasonFor } from "../../../src/plan/bootstrap.js";
import { bootstrapOp } from "../../../src/plan/steps/command.js";
import { loadRoles } from "../../../src/roles/index.js";

const nova = loadRoles(DEFAULT_ROLES_DIR).find((r) => r.name === "nova")!;
const discover = nova.bootstrap.find((s) => s.kind === "exec" && s.command[0] === "kolla_nova_discover_computes")!;
const other = nova.bootstrap.find((s) => s.kind === "exec" && s.command[0] === "nova-manage")!;
const cmds = (want: number) => [bootstrapOp("discover", dockerDriver.exec("nova_api", ["kolla_nova_discover_computes", String(want), "600"]))];

describe("rerun_on_change", () => {
  it("nova's compute discovery re-runs when the compute group changes size; other steps key on the image only", () => {
    expect(discover.kind === "exec" && discover.rerunOnChange).toBe(true);
    const three = doneKey(discover, "reg/nova-api:t", cmds(3));
    expect(three).toMatch(/^reg\/nova-api:t#[0-9a-f]{12}$/);
    expect(doneKey(discover, "reg/nova-api:t", cmds(3))).toBe(three);
    expect(doneKey(discover, "reg/nova-api:t", cmds(4))).not.toBe(three);
    expect(doneKey(other, "reg/nova-api:t", cmds(4))).toBe("reg/nova-api:t");
  });

  it("says why it runs again", () => {
    const four = doneKey(discover, "reg/nova-api:t", cmds(4));
    expect(reasonFor(undefined, four)).toBe("never run on this host");
    expect(reasonFor({ image: doneKey(discover, "reg/nova-api:t", cmds(3)) }, four)).toContain("its command changed");
    expect(reasonFor({ image: "reg/nova-api:s" }, four)).toBe("image changed (reg/nova-api:s → reg/nova-api:t)");
  });
});
