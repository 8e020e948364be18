/**
 * The bytes each `files:` entry puts into a layer: read from the image's directory and, for
 * `template: true`, rendered with the build variables. Computed once, for the cache key and the copy.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { renderTemplate } from "../template/render.js";
import { buildTemplateContext } from "./catalog.js";
import type { KeyedFile } from "./cache-key.js";
import type { BuildVars, FileCopy, ImageDefinition } from "./types.js";

export interface PreparedFile {
  readonly copy: FileCopy;
  readonly content: Buffer;
  readonly keyed: KeyedFile;
}

export function prepareFiles(definition: ImageDefinition, vars: BuildVars): PreparedFile[] {
  const ctx = buildTemplateContext(vars);
  return definition.files.map((copy) => {
    const raw = readFileSync(join(definition.dir, copy.source));
    const name = `${definition.file.replace(/image\.yml$/, "")}${copy.source}`;
    const content = copy.template ? Buffer.from(renderTemplate(raw.toString("utf8"), name, ctx), "utf8") : raw;
    const contentHash = createHash("sha256").update(content).digest("hex");
    return { copy, content, keyed: { dest: copy.dest, mode: copy.mode, owner: copy.owner, contentHash } };
  });
}
