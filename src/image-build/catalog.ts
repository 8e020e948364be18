/**
 * The image catalog: every etc/images/<name>/image.yml rendered with the build variables, parsed
 * and cross-checked (parents exist and form no cycle, users are kolla's, file sources exist).
 * All problems of all definitions are reported at once before anything is built.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { DeployError, Diagnostics } from "../errors.js";
import { renderTemplate, type TemplateContext } from "../template/render.js";
import { parseDefinition } from "./definition.js";
import type { BuildVars, ImageDefinition } from "./types.js";
import { kollaUser, knownUserNames } from "./users.js";
import { DEFINITION_ERROR } from "./yaml-reader.js";

export type Catalog = ReadonlyMap<string, ImageDefinition>;

/** Template context for image.yml and file templates: build variables, no inventory. */
export function buildTemplateContext(vars: BuildVars): TemplateContext {
  const noInventory = (): never => {
    throw new Error("image templates have no inventory: only build variables are available");
  };
  return { vars: { ...vars }, host: "build", lookup: { groupHosts: noInventory, hostGroups: noInventory, hostVars: noInventory, address: noInventory } };
}

export function loadCatalog(imagesDir: string, vars: BuildVars, cwd = process.cwd()): Catalog {
  if (!existsSync(imagesDir)) {
    throw new DeployError("E_IMAGE_DIR", `image definitions directory ${imagesDir} does not exist`, "pass --images-dir DIR");
  }
  const diags = new Diagnostics();
  const catalog = new Map<string, ImageDefinition>();
  const ctx = buildTemplateContext(vars);
  for (const name of readdirSync(imagesDir).sort()) {
    const dir = join(imagesDir, name);
    const path = join(dir, "image.yml");
    if (!statSync(dir).isDirectory() || !existsSync(path)) continue;
    const file = relative(cwd, path) || path;
    const text = renderOrReport(readFileSync(path, "utf8"), file, ctx, diags);
    const definition = text === undefined ? undefined : parseDefinition(name, file, dir, text, diags);
    if (definition !== undefined) catalog.set(name, definition);
  }
  for (const definition of catalog.values()) crossCheck(definition, catalog, diags);
  diags.throwIfAny();
  return catalog;
}

function renderOrReport(source: string, file: string, ctx: TemplateContext, diags: Diagnostics): string | undefined {
  try {
    return renderTemplate(source, file, ctx);
  } catch (error) {
    if (error instanceof DeployError) diags.add(error);
    else throw error;
    return undefined;
  }
}

function problem(definition: ImageDefinition, key: string, message: string, hint: string): DeployError {
  return new DeployError(DEFINITION_ERROR, message, hint, { where: { file: definition.file, key } });
}

function crossCheck(definition: ImageDefinition, catalog: Catalog, diags: Diagnostics): void {
  if (definition.parent !== undefined && !catalog.has(definition.parent)) {
    diags.add(problem(definition, "parent", `no image named "${definition.parent}"`, `images: ${[...catalog.keys()].join(", ")}`));
  }
  const cycle = parentCycle(definition, catalog);
  if (cycle !== undefined) diags.add(problem(definition, "parent", `parent chain loops: ${cycle.join(" → ")}`, "one image must have bootstrap: instead of parent:"));
  definition.users.forEach((user, index) => {
    if (kollaUser(user) === undefined) diags.add(problem(definition, `users[${index}]`, `"${user}" is not a kolla user with a fixed uid`, `known users: ${knownUserNames().join(", ")}`));
  });
  definition.files.forEach((copy, index) => {
    if (!existsSync(join(definition.dir, copy.source))) {
      diags.add(problem(definition, `files[${index}].source`, `${copy.source} does not exist in ${definition.dir}`, "put the file next to image.yml"));
    }
  });
}

function parentCycle(definition: ImageDefinition, catalog: Catalog): string[] | undefined {
  const seen = [definition.name];
  let current = definition.parent === undefined ? undefined : catalog.get(definition.parent);
  while (current !== undefined) {
    seen.push(current.name);
    if (current.name === definition.name) return seen;
    current = current.parent === undefined ? undefined : catalog.get(current.parent);
  }
  return undefined;
}

/** The image and its ancestors, root first. */
export function lineage(catalog: Catalog, name: string): ImageDefinition[] {
  const chain: ImageDefinition[] = [];
  let current = catalog.get(name);
  while (current !== undefined) {
    chain.unshift(current);
    current = current.parent === undefined ? undefined : catalog.get(current.parent);
  }
  return chain;
}

/**
 * The images to build for the requested names (all when none), ancestors included, each after its
 * parent, in a stable order. Unknown names are reported together.
 */
export function selectImages(catalog: Catalog, names: readonly string[]): ImageDefinition[] {
  const unknown = names.filter((n) => !catalog.has(n));
  if (unknown.length > 0) {
    throw new DeployError("E_IMAGE_UNKNOWN", `no image definition for ${unknown.join(", ")}`, `images: ${[...catalog.keys()].join(", ")}`);
  }
  const wanted = names.length === 0 ? [...catalog.keys()] : names;
  const ordered: ImageDefinition[] = [];
  const placed = new Set<string>();
  for (const name of wanted) {
    for (const definition of lineage(catalog, name)) {
      if (!placed.has(definition.name)) {
        placed.add(definition.name);
        ordered.push(definition);
      }
    }
  }
  return ordered;
}
