/** prune-images: the one exec's commands and the report of what went. */
import { describe, expect, it } from "vitest";
import { dockerDriver, podmanDriver } from "../../../src/engine/driver.js";
import { parseImageList, pruneCommands, reclaimedSpace, removedImages } from "../../../src/lifecycle/prune.js";

describe("prune-images", () => {
  it("lists, prunes every unused image, lists again", () => {
    expect(pruneCommands(dockerDriver).map((c) => c.argv)).toEqual([
      ["docker", "image", "ls", "--no-trunc", "--format", "{{.ID}} {{.Repository}}:{{.Tag}}"],
      ["docker", "image", "prune", "--all", "--force"],
      ["docker", "image", "ls", "--no-trunc", "--format", "{{.ID}} {{.Repository}}:{{.Tag}}"],
    ]);
    expect(pruneCommands(podmanDriver)[1]!.argv).toEqual(["podman", "image", "prune", "--all", "--force"]);
  });

  it("groups tags by image id and drops <none>", () => {
    const list = parseImageList("sha256:aa r/x:1\nsha256:aa r/x:latest\nsha256:bb <none>:<none>\n\n");
    expect([...list]).toEqual([
      ["sha256:aa", ["r/x:1", "r/x:latest"]],
      ["sha256:bb", []],
    ]);
  });

  it("names what went: every tag of a removed image, or its short id when it had none", () => {
    const before = "sha256:aa r/kolla/memcached:testbed\nsha256:bbbbbbbbbbbbbbbbbb <none>:<none>\nsha256:cc testbed/busybox:latest\n";
    const after = "sha256:cc testbed/busybox:latest\n";
    expect(removedImages(before, after)).toEqual(["r/kolla/memcached:testbed", "bbbbbbbbbbbb"]);
    expect(removedImages(after, after)).toEqual([]);
  });

  it("reads docker's reclaimed space; podman says nothing", () => {
    expect(reclaimedSpace("Deleted Images:\nuntagged: x\n\nTotal reclaimed space: 4.7MB\n")).toBe("4.7MB");
    expect(reclaimedSpace("0a1b2c\n")).toBeUndefined();
  });
});
