/**
 * Desired state of one host: for every selected role's service that is enabled and mapped to the
 * host, its container spec and its rendered config directory. Pure given its inputs.
 */
import type { ContainerSpec } from "../engine/types.js";
import type { Role, ServiceDef } from "../roles/index.js";
import type { Vars } from "../inventory/types.js";
import { containerSpec } from "./container-spec.js";
import { haproxyServices } from "./haproxy.js";
import { overlayVars, templateContext, type InventoryLookup, type VarsSource } from "./host-context.js";
import { allEnabled, configHash, renderServiceFiles, sha256, type OverrideReader } from "./render-files.js";
import type { DesiredFile } from "./types.js";

export interface DesiredService {
  readonly role: Role;
  readonly service: ServiceDef;
  readonly spec: ContainerSpec;
  /** `<node_config_directory>/<service key>` on the host */
  readonly dir: string;
  readonly files: readonly DesiredFile[];
  readonly configHash: string;
  /** file name → sha256, for naming the files that changed */
  readonly fileHashes: Readonly<Record<string, string>>;
}

export interface DesiredHost {
  readonly host: string;
  readonly services: readonly DesiredService[];
}

export interface DesiredInputs {
  readonly vars: VarsSource;
  readonly lookup: InventoryLookup;
  /** The roles this run works on (after --tags/--skip-tags). */
  readonly roles: readonly Role[];
  /** Every role, for values that list all services (haproxy_services). */
  readonly allRoles: readonly Role[];
  readonly readOverride: OverrideReader;
  /** Override paths consulted while rendering, for the unread-override warning. */
  readonly consulted: Set<string>;
}

export function serviceOnHost(service: ServiceDef, hostGroups: readonly string[], vars: Vars): boolean {
  return service.groups.some((g) => hostGroups.includes(g)) && allEnabled(service.enabled, vars);
}

function serviceVars(host: string, service: ServiceDef, inputs: DesiredInputs): Vars {
  const base = inputs.vars.varsFor(host);
  let haproxy: (() => unknown) | undefined;
  const vars = overlayVars(base, {
    service_name: () => service.key,
    container_name: () => service.containerName,
    haproxy_services: () => haproxy!(),
  });
  haproxy = () => haproxyServices(inputs.allRoles, templateContext(host, vars, inputs.lookup));
  return vars;
}

function desiredService(host: string, role: Role, service: ServiceDef, inputs: DesiredInputs): DesiredService {
  const vars = serviceVars(host, service, inputs);
  const ctx = templateContext(host, vars, inputs.lookup);
  const dir = `${String(vars["node_config_directory"] ?? "/etc/kolla")}/${service.key}`;
  const owner = String(vars["config_owner_user"] ?? "root");
  const group = String(vars["config_owner_group"] ?? "root");
  const rendered = renderServiceFiles(role, service, ctx, inputs.readOverride, inputs.consulted);
  const files: DesiredFile[] = rendered.map((f) => ({
    path: `${dir}/${f.dest}`,
    content: f.content,
    sha256: sha256(f.content),
    mode: f.mode,
    owner,
    group,
    services: [service.containerName],
  }));
  const hashes = rendered.map((f, i) => ({ dest: f.dest, mode: f.mode, sha256: files[i]!.sha256 }));
  return {
    role,
    service,
    spec: containerSpec(role, service, ctx),
    dir,
    files,
    configHash: configHash(hashes),
    fileHashes: Object.fromEntries(hashes.map((h) => [h.dest, h.sha256])),
  };
}

export function desiredForHost(host: string, inputs: DesiredInputs): DesiredHost {
  const groups = inputs.lookup.hostGroups(host);
  const base = inputs.vars.varsFor(host);
  const services: DesiredService[] = [];
  for (const role of inputs.roles) {
    for (const service of role.services) {
      if (serviceOnHost(service, groups, base)) services.push(desiredService(host, role, service, inputs));
    }
  }
  return { host, services };
}
