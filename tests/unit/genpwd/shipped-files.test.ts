import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { REPO_ROOT } from "../../helpers/cli.js";

const GLOBALS = readFileSync(join(REPO_ROOT, "etc", "kolla", "globals.yml"), "utf8");
const SETTING = /^#([a-z_]+):/;

describe("shipped etc/kolla/globals.yml", () => {
  it("parses as an empty document: every setting is commented out", () => {
    const doc = parseDocument(GLOBALS);
    expect(doc.errors).toEqual([]);
    expect(doc.toJS()).toBeNull();
  });

  it("documents the important settings, each with an explanation above it", () => {
    const lines = GLOBALS.split("\n");
    const settings = lines.filter((l) => SETTING.test(l)).map((l) => SETTING.exec(l)![1]!);
    for (const name of [
      "kolla_base_distro",
      "openstack_release",
      "kolla_internal_vip_address",
      "network_interface",
      "neutron_external_interface",
      "docker_registry",
      "kolla_container_engine",
      "enable_openstack_core",
      "enable_haproxy",
      "enable_cinder",
    ]) {
      expect(settings, name).toContain(name);
    }
    lines.forEach((line, i) => {
      // A setting is preceded by a prose comment or by another setting of the same group.
      if (SETTING.test(line)) expect(lines[i - 1], `line ${i + 1}`).toMatch(/^# \S|^#[a-z_]+:/);
    });
    expect(GLOBALS).toMatch(/\/etc\/kolla\/config\//);
  });

  it("uncommenting every setting gives valid YAML without duplicate keys", () => {
    const uncommented = GLOBALS.split("\n").map((l) => (SETTING.test(l) ? l.slice(1) : l)).join("\n");
    const doc = parseDocument(uncommented);
    expect(doc.errors).toEqual([]);
    const data = doc.toJS() as Record<string, unknown>;
    expect(Object.keys(data).length).toBeGreaterThan(60);
    expect(data.kolla_container_engine).toBe("docker");
  });
});
