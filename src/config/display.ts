/**
 * What `kolla-deploy vars` shows: resolved values for one host with secrets masked. Pure apart
 * from resolving through Config.
 */
import { DeployError } from "../errors.js";
import type { Config } from "./config.js";

export const SECRET_MASK = "<secret>";

export interface VarsListing {
  /** Resolved values by name, in name order; secrets masked unless asked otherwise. */
  readonly values: Record<string, unknown>;
  /** Variables that could not be resolved (undefined reference, cycle, bad expression). */
  readonly errors: readonly DeployError[];
}

/**
 * Resolves `names` (default: every variable) for `host`. When listing everything, a variable that
 * fails is reported in `errors` and the rest are still shown; a named one that does not exist fails.
 */
export function listVars(config: Config, host: string, names: readonly string[], opts: { showSecrets?: boolean } = {}): VarsListing {
  const wanted = names.length > 0 ? names : config.names(host).sort();
  const secrets = opts.showSecrets ? [] : config.secretValues();
  const values: Record<string, unknown> = {};
  const errors: DeployError[] = [];
  for (const name of wanted) {
    try {
      values[name] = maskSecrets(config.resolve(host, name), secrets);
    } catch (error) {
      if (!(error instanceof DeployError)) throw error;
      errors.push(error);
    }
  }
  return { values, errors };
}

/** Replaces every occurrence of a secret inside strings (and numbers equal to one) with <secret>. */
export function maskSecrets(value: unknown, secrets: readonly string[]): unknown {
  if (secrets.length === 0) return value;
  if (typeof value === "string") return secrets.reduce((text, secret) => text.split(secret).join(SECRET_MASK), value);
  if (typeof value === "number") return secrets.includes(String(value)) ? SECRET_MASK : value;
  if (Array.isArray(value)) return value.map((item) => maskSecrets(item, secrets));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecrets(v, secrets)]));
  }
  return value;
}
