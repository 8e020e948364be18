/**
 * Which containers, images and named volumes each host has, as the lifecycle verbs (check, pull,
 * stop, destroy) see them. Pure: reads the inventory, the variables and the roles; renders only
 * the image and volume templates, which need no facts.
 *
 * (The shared helpers of src/lifecycle/ live in check-*.ts files.)
 */
import type { Prepared } from "../apply/prepare.js";
import { DeployError } from "../errors.js";
import { groupNames } from "../inventory/index.js";
import { serviceOnHost } from "../plan/desired.js";
import { InventoryLookup, overlayVars, templateContext } from "../plan/host-context.js";
import type { Role, ServiceDef } from "../roles/index.js";
import { renderTemplate, type TemplateContext } from "../template/render.js";

export type TargetInputs = Pick<Prepared, "inventory" | "config">;

/** One service of one role, as it applies to one host. */
export interface HostService {
  readonly role: Role;
  readonly service: ServiceDef;
}

function hostGroups(p: TargetInputs, host: string): string[] {
  return [...groupNames(p.inventory, host), "all"];
}

/** Enabled services mapped to the host (kolla's `inventory_hostname in groups[...] and enabled`). */
export function enabledServices(p: TargetInputs, roles: readonly Role[], host: string): HostService[] {
  const groups = hostGroups(p, host);
  const vars = p.config.varsFor(host);
  return roles.flatMap((role) => role.services.filter((s) => serviceOnHost(s, groups, vars)).map((service) => ({ role, service })));
}

/** Services mapped to the host by group, enabled or not (destroy removes what a past deploy may have left). */
export function mappedServices(p: TargetInputs, roles: readonly Role[], host: string): HostService[] {
  const groups = hostGroups(p, host);
  return roles.flatMap((role) => role.services.filter((s) => s.groups.some((g) => groups.includes(g))).map((service) => ({ role, service })));
}

/** Every container name the roles define, whether mapped to the host or not. */
export function allContainerNames(roles: readonly Role[]): string[] {
  return roles.flatMap((r) => r.services.map((s) => s.containerName));
}

/**
 * Renders a service's fields without facts: templates that ask for an address get the host's
 * ansible_host (with a warning in the lookup) rather than failing; images and volumes never do.
 */
export class ServiceRenderer {
  private readonly lookup: InventoryLookup;

  constructor(private readonly p: TargetInputs) {
    this.lookup = new InventoryLookup(p.inventory, p.config, new Map());
  }

  private context(host: string, service: ServiceDef): TemplateContext {
    const vars = overlayVars(this.p.config.varsFor(host), {
      service_name: () => service.key,
      container_name: () => service.containerName,
    });
    return templateContext(host, vars, this.lookup);
  }

  private where(hs: HostService, field: string): string {
    return `roles/${hs.role.name}/role.yml: services.${hs.service.key}.${field}`;
  }

  /** The full image reference the service runs on this host. */
  image(host: string, hs: HostService): string {
    return render(hs.service.image, this.where(hs, "image"), this.context(host, hs.service));
  }

  /** Named volumes (kolla_logs, mariadb, ...) the service's container mounts on this host. */
  namedVolumes(host: string, hs: HostService): string[] {
    const ctx = this.context(host, hs.service);
    const own = hs.service.volumes.map((v, i) => render(v, this.where(hs, `volumes[${i}]`), ctx));
    const extra = hs.service.extraVolumes === undefined ? undefined : ctx.vars[hs.service.extraVolumes];
    const extras = Array.isArray(extra) ? extra.map(String) : [];
    return [...own, ...extras].flatMap((v) => namedVolumeOf(v) ?? []);
  }
}

function render(text: string, where: string, ctx: TemplateContext): string {
  return text.includes("{{") ? renderTemplate(text, where, ctx) : text;
}

/** The volume name of a "name:/path[:mode]" mount; undefined for a bind of a host path. */
export function namedVolumeOf(mount: string): string | undefined {
  const source = mount.trim().split(":")[0] ?? "";
  if (source === "" || source.startsWith("/") || !mount.includes(":")) return undefined;
  return source;
}

/**
 * Runs `fn`, returning its value, or `fallback` when a template of a service that is not
 * enabled fails to render (its variables may be meaningless while it is disabled).
 */
export function orWhenUnrenderable<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof DeployError) return fallback;
    throw error;
  }
}

/** The list variable `name` for the host (e.g. skip_stop_containers), as strings. */
export function stringList(p: TargetInputs, host: string, name: string): string[] {
  const value = p.config.varsFor(host)[name];
  if (value === undefined || value === null || value === "") return [];
  if (!Array.isArray(value)) {
    throw new DeployError("E_VAR_TYPE", `${name} must be a list, got ${JSON.stringify(value)}`, `e.g. ${name}: [cron, fluentd]`, { host });
  }
  return value.map(String);
}

export function unique<T>(items: Iterable<T>): T[] {
  return [...new Set(items)];
}
