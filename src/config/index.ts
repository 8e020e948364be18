/**
 * The configuration model (docs/variables.md): variable layers and their precedence, lazy `{{ }}`
 * resolution per host, passwords as secrets, and ansible-playbook's -e parsing.
 */
export { Config, loadConfig, type ComputedVars } from "./config.js";
export type { ConfigInputs } from "./layers.js";
export { DEFAULT_PROJECT_DEFAULTS_DIR } from "./layers.js";
export { parseExtraVars } from "./extra-vars.js";
export { evaluateExpression, renderJinjaString, type Lookup } from "./expressions.js";
export { toBool } from "./jinja/filters.js";
export { localhostInventory } from "./inventory-view.js";
export { toYaml } from "./yaml-source.js";
export { listVars, maskSecrets, SECRET_MASK, type VarsListing } from "./display.js";
