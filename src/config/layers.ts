/**
 * Reads every variable source into precedence layers (lowest first) and validates them all in one
 * pass: YAML problems, top levels that are not mappings, malformed -e arguments and bad `{{ }}`
 * syntax anywhere. The per-host inventory layers sit between `low` and `high`.
 *
 *   low:  1 role defaults, 2 etc/defaults/*.yml
 *   (3 inventory group vars, 4 host vars: per host, see resolver)
 *   high: 5 globals.yml + globals.d/*, 6 passwords, 7 -e values, then CONFIG_DIR as kolla passes it
 */
import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DeployError, Diagnostics, type SourceLocation } from "../errors.js";
import type { Inventory } from "../inventory/types.js";
import { parseExtraVarsEntries } from "./extra-vars.js";
import { inventoryLabel } from "./inventory-view.js";
import { ExpressionError } from "./jinja/errors.js";
import { isTemplated, parseTemplate } from "./jinja/template.js";
import { parseVarsYaml, readVarsFile, type SourcedValue } from "./yaml-source.js";

/** A variable's value and origin; secret values (passwords.yml) are used literally, never templated. */
export interface VarSource extends SourcedValue {
  readonly secret?: boolean;
  /** A value the program computes on first read (e.g. an address from facts), used as returned. */
  readonly compute?: () => unknown;
}

export interface ConfigInputs {
  configdir: string;
  /** Default `<configdir>/passwords.yml` (optional); when given, the file must exist. */
  passwordsFile?: string;
  extraVars: readonly string[];
  /** Base for relative `-e @file` paths; default process.cwd(). */
  cwd?: string;
  /** Every role's defaults.yml text, lowest precedence, later entries win. */
  roleDefaults?: readonly { file: string; text: string }[];
  /** Default `<repo>/etc/defaults`. */
  projectDefaultsDir?: string;
}

export interface Layers {
  readonly low: ReadonlyMap<string, VarSource>;
  readonly high: ReadonlyMap<string, VarSource>;
}

export const DEFAULT_PROJECT_DEFAULTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "etc", "defaults");

/** Reads and validates every source; throws ValidationFailed listing every problem. */
export function loadLayers(inputs: ConfigInputs, inventory: Inventory): Layers {
  const diags = new Diagnostics();
  const low = new Map<string, VarSource>();
  for (const source of inputs.roleDefaults ?? []) overlay(low, parseVarsYaml(source.text, source.file, diags));
  for (const file of yamlFilesIn(inputs.projectDefaultsDir ?? DEFAULT_PROJECT_DEFAULTS_DIR, [".yml"])) {
    overlay(low, readVarsFile(file, diags, { required: true }));
  }
  const high = new Map<string, VarSource>();
  overlay(high, readVarsFile(join(inputs.configdir, "globals.yml"), diags));
  for (const file of yamlFilesIn(join(inputs.configdir, "globals.d"), [".yml", ".yaml", ".json"])) {
    overlay(high, readVarsFile(file, diags, { required: true }));
  }
  const passwords = readVarsFile(inputs.passwordsFile ?? join(inputs.configdir, "passwords.yml"), diags, {
    secret: true,
    required: inputs.passwordsFile !== undefined,
  });
  for (const [key, entry] of passwords) high.set(key, { ...entry, secret: true });
  overlay(high, parseExtraVarsEntries(inputs.extraVars, inputs.cwd ?? process.cwd(), diags));
  // kolla-ansible always appends `-e CONFIG_DIR=<configdir>`; node_config defaults from it.
  high.set("CONFIG_DIR", { value: resolve(inputs.configdir), where: { file: "--configdir", key: "CONFIG_DIR" } });
  checkTemplates([...low.values(), ...high.values()], diags);
  checkInventoryTemplates(inventory, diags);
  diags.throwIfAny();
  return { low, high };
}

function overlay(target: Map<string, VarSource>, entries: ReadonlyMap<string, SourcedValue>): void {
  for (const [key, entry] of entries) target.set(key, entry);
}

/** Files in `dir` with one of `extensions`, sorted by name; a missing directory has none. */
function yamlFilesIn(dir: string, extensions: readonly string[]): string[] {
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
  } catch {
    return [];
  }
  return names.filter((name) => extensions.some((ext) => name.endsWith(ext))).sort().map((name) => join(dir, name));
}

function checkTemplates(sources: readonly VarSource[], diags: Diagnostics): void {
  for (const source of sources) {
    if (!source.secret) checkValue(source.value, source.where, diags);
  }
}

function checkInventoryTemplates(inventory: Inventory, diags: Diagnostics): void {
  const file = inventoryLabel(inventory);
  for (const [name, group] of inventory.groups) {
    for (const [key, value] of Object.entries(group.vars)) checkValue(value, { file: `${file} (group ${name})`, key }, diags);
  }
  for (const [name, host] of inventory.hosts) {
    for (const [key, value] of Object.entries(host.vars)) checkValue(value, { file: `${file} (host ${name})`, key }, diags);
  }
}

/** Parses every `{{ }}` string in a value (recursively) so syntax errors surface before anything runs. */
function checkValue(value: unknown, where: SourceLocation, diags: Diagnostics): void {
  if (typeof value === "string") {
    if (!isTemplated(value)) return;
    try {
      parseTemplate(value);
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      diags.add(new DeployError(error.code, error.message, error.hint, { where }));
    }
  } else if (Array.isArray(value)) {
    for (const item of value) checkValue(item, where, diags);
  } else if (typeof value === "object" && value !== null) {
    for (const item of Object.values(value)) checkValue(item, where, diags);
  }
}
