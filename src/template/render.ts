/**
 * Rendering entry points: a whole template file, or every string inside a YAML-parsed structure
 * (role.yml fields). Pure apart from the compile cache; all failures are located DeployErrors.
 */
import { runTemplate } from "./env.js";
import { templateError, type TemplateOrigin } from "./errors.js";
import type { TemplateContext } from "./types.js";

export type { HostLookup, TemplateContext } from "./types.js";

function renderAt(source: string, origin: TemplateOrigin, ctx: TemplateContext): string {
  try {
    return runTemplate(source, ctx);
  } catch (error) {
    throw templateError(error, source, origin);
  }
}

/** Renders a template for one host. Throws a DeployError naming templateName:line for any failure. */
export function renderTemplate(source: string, templateName: string, ctx: TemplateContext): string {
  return renderAt(source, { file: templateName }, ctx);
}

function childKey(parent: string | undefined, key: string | number): string {
  if (typeof key === "number") return `${parent ?? ""}[${key}]`;
  return parent === undefined ? key : `${parent}.${key}`;
}

function renderNode(value: unknown, file: string, key: string | undefined, ctx: TemplateContext): unknown {
  if (typeof value === "string") {
    // Most fields are literal; skipping them keeps role loading cheap and the compile cache small.
    return value.includes("{{") ? renderAt(value, key === undefined ? { file } : { file, key }, ctx) : value;
  }
  if (Array.isArray(value)) return value.map((item, index) => renderNode(item, file, childKey(key, index), ctx));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = renderNode(v, file, childKey(key, k), ctx);
    return out;
  }
  return value;
}

/**
 * Renders every string value in a YAML-parsed structure (mapping keys are left as written).
 * Rendered strings stay strings: `"{{enable_x}}"` gives "true"/"yes", so callers test it with bool.
 * Errors name templateName and the field path, e.g. `roles/memcached/role.yml: services.memcached.image`.
 */
export function renderValue(value: unknown, templateName: string, ctx: TemplateContext): unknown {
  return renderNode(value, templateName, undefined, ctx);
}

/** Syntax-checks a template without rendering it, for validation passes that collect every problem. */
export { checkTemplateSyntax } from "./check.js";
