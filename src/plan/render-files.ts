/**
 * Renders one container's config directory as kolla would: each config file from its built-in
 * template merged with the operator's overrides (merge_configs / merge_yaml / first-found), plus the
 * container's config.json. Pure apart from reading override files through the given reader.
 */
import { createHash } from "node:crypto";
import { DeployError } from "../errors.js";
import { toBool } from "../config/index.js";
import { mergeIni, mergeYaml } from "../merge/index.js";
import { readRoleTemplate, type ConfigFile, type Role, type ServiceDef } from "../roles/index.js";
import { renderTemplate, type TemplateContext } from "../template/render.js";

export interface RenderedFile {
  /** Name under the container's config directory, e.g. `nova.conf`. */
  readonly dest: string;
  readonly content: string;
  readonly mode: number;
}

/** Reads override files on the deployment host; undefined when the file does not exist. */
export type OverrideReader = (path: string) => string | undefined;

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export function allEnabled(names: readonly string[], vars: Record<string, unknown>): boolean {
  return names.every((name) => toBool(vars[name]));
}

function templatePath(role: Role, file: string): string {
  return `roles/${role.name}/templates/${file}`;
}

function renderOverride(path: string, text: string, ctx: TemplateContext): string {
  return renderTemplate(text, path, ctx);
}

/** The override sources that exist, in the role's order, each rendered for the host. */
function existingOverrides(
  file: ConfigFile,
  ctx: TemplateContext,
  read: OverrideReader,
  consulted: Set<string>,
): { path: string; text: string }[] {
  const found: { path: string; text: string }[] = [];
  file.overrides.forEach((pattern, index) => {
    const path = renderTemplate(pattern, `${file.where.file}: overrides[${index}] of ${file.dest}`, ctx);
    consulted.add(path);
    const text = read(path);
    if (text !== undefined) found.push({ path, text: renderOverride(path, text, ctx) });
  });
  return found;
}

function renderConfigFile(
  role: Role,
  file: ConfigFile,
  ctx: TemplateContext,
  read: OverrideReader,
  consulted: Set<string>,
): string {
  const name = templatePath(role, file.template);
  const builtIn = () => renderTemplate(readRoleTemplate(role, file.template), name, ctx);
  const overrides = existingOverrides(file, ctx, read, consulted);
  switch (file.merge) {
    case "ini":
      return mergeIni([{ path: name, text: builtIn() }, ...overrides], { whitespace: true });
    case "yaml":
      return mergeYaml([{ path: name, text: builtIn() }, ...overrides], { extendLists: file.extendLists });
    case "whole_file":
      return overrides[0]?.text ?? builtIn();
    case "template":
      return builtIn();
  }
}

/** Every file of the service's config directory, config.json last. */
export function renderServiceFiles(
  role: Role,
  service: ServiceDef,
  ctx: TemplateContext,
  read: OverrideReader,
  consulted: Set<string>,
): RenderedFile[] {
  const files = service.configFiles
    .filter((file) => allEnabled(file.enabled, ctx.vars))
    .map((file) => ({
      dest: file.dest,
      content: renderConfigFile(role, file, ctx, read, consulted),
      mode: parseInt(file.mode, 8),
    }));
  const configJson = renderTemplate(readRoleTemplate(role, service.configJson), templatePath(role, service.configJson), ctx);
  return [...files, { dest: "config.json", content: normaliseJson(configJson, templatePath(role, service.configJson)), mode: 0o660 }];
}

/** config.json is rendered from a template; re-serialise it so whitespace in templates never counts as a change. */
function normaliseJson(text: string, name: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 4) + "\n";
  } catch (error) {
    throw new DeployError("E_CONFIG_JSON", `rendered config.json is not valid JSON: ${(error as Error).message}`, "check the template's commas and quoting", {
      where: { file: name },
    });
  }
}

/** One hash over a container's files: names and contents, order-independent. */
export function configHash(files: readonly { dest: string; sha256: string; mode: number }[]): string {
  const lines = [...files].sort((a, b) => a.dest.localeCompare(b.dest)).map((f) => `${f.dest} ${f.mode.toString(8)} ${f.sha256}`);
  return sha256(lines.join("\n"));
}
