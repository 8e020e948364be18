/**
 * What the lifecycle verbs target, on kolla's multinode inventory (no host is contacted): enabled
 * services per host, images and named volumes rendered without facts, skip_stop_containers, and
 * the destroy scope (every container of the selected roles, enabled or not).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { prepare } from "../../../src/apply/prepare.js";
import type { CommonOptions } from "../../../src/options.js";
import { DeployError } from "../../../src/errors.js";
import { enabledServices, mappedServices, ServiceRenderer, stringList } from "../../../src/lifecycle/check-targets.js";
import { destroyScope } from "../../../src/lifecycle/destroy.js";
import { imagesForHost } from "../../../src/lifecycle/pull.js";
import { REPO_ROOT } from "../../helpers/cli.js";

function prepared(opts: Partial<CommonOptions> = {}, globals = "") {
  const configdir = mkdtempSync(join(tmpdir(), "kd-targets-"));
  writeFileSync(join(configdir, "globals.yml"), `kolla_internal_vip_address: "10.0.0.250"\nnetwork_interface: "eth0"\n${globals}`);
  writeFileSync(join(configdir, "passwords.yml"), "rabbitmq_cluster_cookie: c00kie\n");
  const common: CommonOptions = {
    inventory: [join(REPO_ROOT, "inventory", "multinode")],
    configdir,
    passwords: undefined,
    extraVars: [],
    tags: [],
    skipTags: [],
    limit: undefined,
    verbose: 0,
    json: false,
    ...opts,
  };
  return prepare(common);
}

const names = (list: { service: { containerName: string } }[]) => list.map((s) => s.service.containerName);

describe("lifecycle targets", () => {
  it("enabled services follow groups and enable_* flags, after --tags", () => {
    const p = prepared({ tags: ["memcached", "rabbitmq", "nova"] });
    expect(names(enabledServices(p, p.roles, "control01"))).toEqual(expect.arrayContaining(["memcached", "rabbitmq", "nova_api"]));
    expect(names(enabledServices(p, p.roles, "control01"))).not.toContain("nova_compute");
    expect(names(enabledServices(p, p.roles, "compute01"))).toEqual(expect.arrayContaining(["nova_compute", "nova_libvirt"]));
    expect(names(enabledServices(p, p.roles, "compute01"))).not.toContain("memcached");
    const off = prepared({ tags: ["memcached"] }, "enable_memcached: no\n");
    expect(enabledServices(off, off.roles, "control01")).toEqual([]);
    expect(names(mappedServices(off, off.roles, "control01"))).toEqual(["memcached"]);
  });

  it("renders images and named volumes without facts", () => {
    const p = prepared({ tags: ["rabbitmq"] }, 'docker_registry: "reg:5000"\nopenstack_tag: "t1"\n');
    expect(imagesForHost(p, "control01")).toEqual(["reg:5000/openstack.kolla/rabbitmq:t1"]);
    const [rabbit] = enabledServices(p, p.roles, "control01");
    expect(new ServiceRenderer(p).namedVolumes("control01", rabbit!)).toEqual(["rabbitmq", "kolla_logs"]);
  });

  it("skip_stop_containers must be a list", () => {
    expect(stringList(prepared({}, "skip_stop_containers: [cron]\n"), "control01", "skip_stop_containers")).toEqual(["cron"]);
    expect(stringList(prepared(), "control01", "skip_stop_containers")).toEqual([]);
    expect(() => stringList(prepared({}, "skip_stop_containers: cron\n"), "control01", "skip_stop_containers")).toThrow(DeployError);
  });

  it("destroy's scope: every container of the selected roles, volumes of mapped services, every config dir", () => {
    const all = prepared();
    const scope = destroyScope(all, "control01");
    expect(scope.wholeRecord).toBe(true);
    expect(scope.containers).toEqual(expect.arrayContaining(["memcached", "nova_compute", "mariadb"]));
    expect(scope.volumes).toEqual(expect.arrayContaining(["kolla_logs", "mariadb", "rabbitmq"]));
    expect(scope.dirs).toEqual(expect.arrayContaining(["/etc/kolla/nova-compute", "/etc/kolla/memcached"]));
    const some = destroyScope(prepared({ tags: ["memcached"] }), "control01");
    expect(some).toMatchObject({ containers: ["memcached"], volumes: ["kolla_logs"], dirs: ["/etc/kolla/memcached"], roleNames: ["memcached"], wholeRecord: false });
  });
});
