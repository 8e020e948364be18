/**
 * The operator's override directory on the deployment host: reading override files (cached), and
 * finding the files no role reads — kolla silently ignores those, and operators trip on it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Role } from "../roles/index.js";
import { renderTemplate } from "../template/render.js";
import { overlayVars, templateContext, type InventoryLookup, type VarsSource } from "../plan/host-context.js";
import type { OverrideReader } from "../plan/render-files.js";

export function cachedOverrideReader(): OverrideReader {
  const cache = new Map<string, string | undefined>();
  return (path) => {
    if (!cache.has(path)) cache.set(path, existsSync(path) && statSync(path).isFile() ? readFileSync(path, "utf8") : undefined);
    return cache.get(path);
  };
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listFiles(path);
    return entry.isFile() ? [path] : [];
  });
}

/** Every override path any role would read for any host (whether or not the service is enabled there). */
function readablePaths(roles: readonly Role[], hosts: readonly string[], vars: VarsSource, lookup: InventoryLookup): Set<string> {
  const paths = new Set<string>();
  for (const host of hosts) {
    for (const role of roles) {
      for (const service of role.services) {
        const v = overlayVars(vars.varsFor(host), { service_name: () => service.key, container_name: () => service.containerName });
        const ctx = templateContext(host, v, lookup);
        for (const file of service.configFiles) {
          file.overrides.forEach((p, i) => paths.add(renderTemplate(p, `${file.where.file}: overrides[${i}]`, ctx)));
        }
      }
    }
  }
  return paths;
}

/**
 * Files under node_custom_config that no role reads. Policy files and directories kolla copies whole
 * are not modelled yet, so only files with the extensions merge_configs/merge_yaml read are judged.
 */
export function unreadOverrides(customDir: string, roles: readonly Role[], hosts: readonly string[], vars: VarsSource, lookup: InventoryLookup): string[] {
  const candidates = listFiles(customDir).filter((f) => /\.(conf|ini|cfg|ya?ml|json)$/.test(f) && !/\/policy\.(ya?ml|json)$/.test(f));
  if (candidates.length === 0) return [];
  const readable = readablePaths(roles, hosts, vars, lookup);
  return candidates.filter((f) => !readable.has(f)).sort();
}
