/** destroy's decisions on one host: which containers, volumes, images go, and what happens to the record. */
import { describe, expect, it } from "vitest";
import { dockerDriver, podmanDriver } from "../../../src/engine/driver.js";
import { parseContainerInspect } from "../../../src/engine/inspect.js";
import { classifyRemoval, DESTROY_GRACE_SEC, destroyQueries, planDestroy, removalCommands, stopCommands, type DestroyFound, type DestroyScope } from "../../../src/lifecycle/destroy-plan.js";
import { namedVolumeOf } from "../../../src/lifecycle/check-targets.js";
import type { HostRecord } from "../../../src/plan/record.js";

function container(name: string, image: string, binds: string[]) {
  return parseContainerInspect(JSON.stringify([{ Name: `/${name}`, Config: { Image: image }, State: { Status: "running" }, HostConfig: { Binds: binds } }]))[0]!;
}

const record: HostRecord = {
  version: 1,
  containers: {
    memcached: { image: "r/kolla/memcached:t", configHash: "h1", fileHashes: {}, updatedAt: "x" },
    rabbitmq: { image: "r/kolla/rabbitmq:t", configHash: "h2", fileHashes: {}, updatedAt: "x" },
  },
  bootstrap: { "rabbitmq:0:exec": { image: "r/kolla/rabbitmq:t", at: "x" }, "mariadb:0:one_shot": { image: "m", at: "x" } },
};

const scope = (over: Partial<DestroyScope> = {}): DestroyScope => ({
  containers: ["memcached", "rabbitmq", "nova_api"],
  volumes: ["kolla_logs", "rabbitmq"],
  dirs: ["/etc/kolla/memcached", "/etc/kolla/rabbitmq", "/etc/kolla/nova-api"],
  images: ["r/kolla/memcached:t", "r/kolla/rabbitmq:t"],
  roleNames: ["memcached", "rabbitmq", "nova"],
  wholeRecord: true,
  ...over,
});

const found = (over: Partial<DestroyFound> = {}): DestroyFound => ({
  containers: new Map([
    ["memcached", container("memcached", "r/kolla/memcached:t", ["/etc/kolla/memcached/:/var/lib/kolla/config_files/:ro", "kolla_logs:/var/log/kolla/"])],
    ["rabbitmq", container("rabbitmq", "r/kolla/rabbitmq:t", ["rabbitmq:/var/lib/rabbitmq/", "kolla_logs:/var/log/kolla/", "extra_vol:/x"])],
  ]),
  volumes: ["kolla_logs", "rabbitmq", "extra_vol", "someone_elses"],
  dirs: ["/etc/kolla/memcached", "/etc/kolla/rabbitmq"],
  images: ["r/kolla/memcached:t"],
  record,
  ...over,
});

describe("planDestroy", () => {
  it("removes existing containers, the named volumes of specs and of mounts that exist, and existing dirs", () => {
    const plan = planDestroy(scope(), found(), false);
    expect(plan.containers).toEqual(["memcached", "rabbitmq"]);
    expect(plan.volumes).toEqual(["kolla_logs", "rabbitmq", "extra_vol"]);
    expect(plan.dirs).toEqual(["/etc/kolla/memcached", "/etc/kolla/rabbitmq"]);
    expect(plan.images).toEqual([]);
    expect(plan.record).toBe("remove");
  });

  it("--include-images: the present spec images and the removed containers' images, once each", () => {
    expect(planDestroy(scope(), found(), true).images).toEqual(["r/kolla/memcached:t", "r/kolla/rabbitmq:t"]);
  });

  it("with only some roles selected, rewrites the record without their containers and bootstrap steps", () => {
    const plan = planDestroy(scope({ containers: ["rabbitmq"], roleNames: ["rabbitmq"], wholeRecord: false }), found(), false);
    expect(plan.containers).toEqual(["rabbitmq"]);
    expect(plan.record).toEqual({ version: 1, containers: { memcached: record.containers.memcached }, bootstrap: { "mariadb:0:one_shot": record.bootstrap["mariadb:0:one_shot"] } });
  });

  it("leaves a record alone when it has nothing of the selected roles, and a missing record missing", () => {
    expect(planDestroy(scope({ containers: ["nova_api"], roleNames: ["nova"], wholeRecord: false }), found(), false).record).toBeUndefined();
    expect(planDestroy(scope(), found({ record: undefined }), false).record).toBeUndefined();
  });
});

describe("destroy commands", () => {
  it("gathers containers, volumes, dirs, images and the record in that order", () => {
    const argvs = destroyQueries(podmanDriver, scope(), true).map((c) => c.argv.join(" "));
    expect(argvs).toEqual([
      "podman container inspect memcached rabbitmq nova_api",
      "podman volume ls --quiet",
      "ls -1d -- /etc/kolla/memcached /etc/kolla/rabbitmq /etc/kolla/nova-api",
      "podman image inspect r/kolla/memcached:t r/kolla/rabbitmq:t",
      "cat /var/lib/kolla-deploy/state.json",
    ]);
  });

  it("stops every container it removes, with a grace period, so services shut down cleanly first", () => {
    const plan = planDestroy(scope(), found(), true);
    expect(stopCommands(dockerDriver, plan).map((c) => c.argv.join(" "))).toEqual([
      `docker stop --time ${DESTROY_GRACE_SEC} memcached`,
      `docker stop --time ${DESTROY_GRACE_SEC} rabbitmq`,
    ]);
  });

  it("removes containers first, then volumes, dirs, the record, images", () => {
    const plan = planDestroy(scope(), found(), true);
    const argvs = removalCommands(dockerDriver, plan).map((r) => r.command.argv.join(" "));
    expect(argvs).toEqual([
      "docker rm --force memcached",
      "docker rm --force rabbitmq",
      "docker volume rm kolla_logs",
      "docker volume rm rabbitmq",
      "docker volume rm extra_vol",
      "rm -rf -- /etc/kolla/memcached",
      "rm -rf -- /etc/kolla/rabbitmq",
      "rm -f /var/lib/kolla-deploy/state.json",
      "docker image rm r/kolla/memcached:t",
      "docker image rm r/kolla/rabbitmq:t",
    ]);
  });

  it("classifies the engines' answers: gone is fine, in use is kept, anything else failed", () => {
    const r = (code: number, stderr: string) => ({ code, stdout: "", stderr });
    expect(classifyRemoval(r(0, ""))).toBe("removed");
    expect(classifyRemoval(r(1, "Error: No such volume: x"))).toBe("gone");
    expect(classifyRemoval(r(1, "Error: x: image not known"))).toBe("gone");
    expect(classifyRemoval(r(1, "Error response from daemon: remove kolla_logs: volume is in use - [abc]"))).toBe("in use");
    expect(classifyRemoval(r(2, "Error: volume kolla_logs is being used by the following container(s): abc"))).toBe("in use");
    expect(classifyRemoval(r(1, "Error response from daemon: conflict: unable to remove repository reference"))).toBe("in use");
    expect(classifyRemoval(r(1, "permission denied"))).toBe("failed");
  });

  it("namedVolumeOf() tells named volumes from host paths", () => {
    expect(namedVolumeOf("kolla_logs:/var/log/kolla/")).toBe("kolla_logs");
    expect(namedVolumeOf("mariadb:/var/lib/mysql:rw")).toBe("mariadb");
    expect(namedVolumeOf("/etc/kolla/x/:/var/lib/kolla/config_files/:ro")).toBeUndefined();
    expect(namedVolumeOf("/dev/shm")).toBeUndefined();
    expect(namedVolumeOf("")).toBeUndefined();
  });
});
