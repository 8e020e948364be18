/** Compiled templates kept on disk between runs: same output, reused, and never read from an unsafe place. */
import { chmodSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DeployError } from "../../../src/errors.js";
import { defaultCacheDir, openCompileCache, sourceHash } from "../../../src/template/compile-cache.js";
import { useCompileCache } from "../../../src/template/env.js";
import { renderTemplate } from "../../../src/template/render.js";
import { contextFor } from "./fixtures.js";

const SOURCE = "[DEFAULT]\nhost = {{host}}\n{{#if debug}}debug = true\n{{/if}}workers = {{default workers 4}}\n";

describe("template compile cache", () => {
  it("renders the same through the cache, and a later run finds the compiled template on disk", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "kd-hbs-")), "cache");
    const save = useCompileCache(dir);
    const out = renderTemplate(SOURCE, "t.hbs", contextFor({ host: "node1", debug: true }));
    expect(out).toBe("[DEFAULT]\nhost = node1\ndebug = true\nworkers = 4\n");
    save();
    const [file] = readdirSync(dir);
    const entries = JSON.parse(readFileSync(join(dir, file!), "utf8")) as Record<string, string>;
    expect(Object.keys(entries)).toContain(sourceHash(SOURCE));
    // what a later process would load: the same flavour file, the same spec
    const again = openCompileCache(dir, "unused flavour");
    expect(again.get(sourceHash(SOURCE))).toBeUndefined();
  });

  it("errors keep naming template:line when compiled through the cache", () => {
    useCompileCache(join(mkdtempSync(join(tmpdir(), "kd-hbs-")), "cache"));
    let error: unknown;
    try {
      renderTemplate("a\n{{#if x}}\nb\n", "broken.hbs", contextFor({ x: true }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).oneLine()).toContain("broken.hbs");
  });

  it("ignores a cache directory others can write (its entries are code)", () => {
    const dir = mkdtempSync(join(tmpdir(), "kd-hbs-"));
    chmodSync(dir, 0o777);
    const cache = openCompileCache(dir, "f");
    cache.set("h", "{}");
    cache.save();
    expect(readdirSync(dir)).toEqual([]);
    expect(openCompileCache(dir, "f").get("h")).toBeUndefined();
  });

  it("lives in KOLLA_DEPLOY_CACHE_DIR, XDG_CACHE_HOME or ~/.cache; off turns it off", () => {
    expect(defaultCacheDir({ KOLLA_DEPLOY_CACHE_DIR: "/x" })).toBe("/x");
    expect(defaultCacheDir({ KOLLA_DEPLOY_CACHE_DIR: "off" })).toBeUndefined();
    expect(defaultCacheDir({ XDG_CACHE_HOME: "/c" })).toBe("/c/kolla-deploy");
  });
});
