/**
 * Pure: the cache key of a layer. A layer is rebuilt exactly when something that goes into it
 * changes: the parent layer's digest, the bootstrap spec, users, packages, commands, or the
 * (rendered) bytes, mode and owner of a copied file. Env, labels, user and cmd are not part of
 * the key: they live in the image config, which is rewritten on every build for free.
 */
import { createHash } from "node:crypto";
import type { ImageDefinition } from "./types.js";

/** Bump when the way layers are built changes, so old cache entries are not reused. */
export const BUILDER_VERSION = "1";

export interface KeyedFile {
  readonly dest: string;
  readonly mode: number;
  readonly owner: string;
  /** sha256 hex of the bytes that will be written (after rendering). */
  readonly contentHash: string;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The key of the bootstrap layer: debootstrap's inputs only. */
export function bootstrapKey(definition: ImageDefinition): string {
  return sha256(JSON.stringify({ v: BUILDER_VERSION, bootstrap: definition.bootstrap }));
}

/** The key of an image's own layer on top of `parentDigest` (the layer below it). */
export function layerKey(definition: ImageDefinition, parentDigest: string, files: readonly KeyedFile[]): string {
  return sha256(
    JSON.stringify({
      v: BUILDER_VERSION,
      parent: parentDigest,
      users: definition.users,
      packages: definition.packages,
      files,
      run: definition.run,
    }),
  );
}
