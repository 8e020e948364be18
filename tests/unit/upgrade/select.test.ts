/** --service and --tag against the shipped roles. */
import { describe, expect, it } from "vitest";
import { DEFAULT_ROLES_DIR } from "../../../src/apply/prepare.js";
import { DeployError } from "../../../src/errors.js";
import { loadRoles } from "../../../src/roles/index.js";
import { checkTag, roleForService, tagOverride, tagVariablesIn } from "../../../src/upgrade/select.js";

const roles = loadRoles(DEFAULT_ROLES_DIR);
const role = (name: string) => roles.find((r) => r.name === name)!;

describe("upgrade scope", () => {
  it("finds a role by name or by one of its tags", () => {
    expect(roleForService(roles, "keystone").name).toBe("keystone");
    const tagged = roles.find((r) => r.tags.length > 0)!;
    expect(roleForService(roles, tagged.tags[0]!).name).toBe(tagged.name);
  });

  it("names the known services when --service is unknown", () => {
    const error = (() => { try { roleForService(roles, "keystoen"); } catch (e) { return e as DeployError; } })()!;
    expect(error.code).toBe("E_USAGE");
    expect(error.oneLine()).toContain('unknown service "keystoen"');
    expect(error.hint).toContain("keystone");
  });

  it("finds top-level *_tag variables only", () => {
    const text = 'keystone_tag: "{{ openstack_tag }}"\nkeystone_image_full: "x:{{ keystone_tag }}"\n  nested_tag: 1\nopenstack_tag_suffix: ""\n';
    expect(tagVariablesIn(text)).toEqual(["keystone_tag"]);
  });

  it("--tag sets openstack_tag and every tag variable of the roles", () => {
    expect(JSON.parse(tagOverride([role("keystone")], "t2"))).toEqual({ openstack_tag: "t2", keystone_tag: "t2" });
    const common = JSON.parse(tagOverride([role("common")], "t2")) as Record<string, string>;
    expect(common).toMatchObject({ openstack_tag: "t2", common_tag: "t2", cron_tag: "t2", kolla_toolbox_tag: "t2", fluentd_tag: "t2" });
  });

  it("refuses a tag that is not an image tag", () => {
    expect(checkTag("2024.1-ubuntu-jammy")).toBe("2024.1-ubuntu-jammy");
    for (const bad of ["", "a b", "-x", "x:y", "a/b"]) expect(() => checkTag(bad), bad).toThrow(DeployError);
  });
});
