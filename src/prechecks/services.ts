/**
 * Which of our containers a host will run, and the ports they listen on: each service's own
 * ports (kolla's per-role precheck port lists) plus the haproxy frontends and backends the roles declare.
 */
import { toBool } from "../config/index.js";
import { DeployError } from "../errors.js";
import { groupNames } from "../inventory/index.js";
import type { Inventory, Vars } from "../inventory/types.js";
import { allEnabled } from "../plan/render-files.js";
import type { HaproxyFrontend, Role, ServiceDef } from "../roles/index.js";
import { renderTemplate, type TemplateContext } from "../template/render.js";
import type { PortNeed } from "./types.js";

export interface PlacedService {
  readonly role: Role;
  readonly service: ServiceDef;
}

/**
 * Ports a service listens on besides its haproxy backend port (kolla checks these in each role's
 * precheck.yml): cluster, replication, ssh and monitor ports that no frontend names.
 */
export const SERVICE_PORT_VARIABLES: Readonly<Record<string, readonly string[]>> = {
  memcached: ["memcached_port"],
  rabbitmq: ["rabbitmq_port", "rabbitmq_cluster_port", "rabbitmq_epmd_port"],
  mariadb: ["mariadb_wsrep_port", "mariadb_ist_port", "mariadb_sst_port"],
  "keystone-ssh": ["keystone_ssh_port"],
  "nova-ssh": ["nova_ssh_port"],
  "nova-libvirt": ["nova_libvirt_port"],
  "openvswitch-db-server": ["ovsdb_port"],
  haproxy: ["haproxy_monitor_port", "haproxy_stats_port"],
};

/** The enabled services of `roles` whose groups include the host. */
export function servicesOn(inventory: Inventory, roles: readonly Role[], host: string, vars: Vars): PlacedService[] {
  const groups = new Set(groupNames(inventory, host));
  return roles.flatMap((role) =>
    role.services.filter((s) => s.groups.some((g) => groups.has(g)) && allEnabled(s.enabled, vars)).map((service) => ({ role, service })),
  );
}

function toPort(value: unknown, label: string, host: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new DeployError("E_PRECHECK_CONFIG", `${label} is ${JSON.stringify(value)}, not a TCP port`, `set ${label} to a number from 1 to 65535`, { host });
  }
  return port;
}

function ownPorts(placed: readonly PlacedService[], vars: Vars, host: string): PortNeed[] {
  return placed.flatMap(({ service }) =>
    (SERVICE_PORT_VARIABLES[service.key] ?? [])
      .filter((name) => vars[name] !== undefined)
      .map((name) => ({ port: toPort(vars[name], name, host), label: name, container: service.containerName })),
  );
}

interface FrontendOf {
  readonly role: Role;
  readonly frontend: HaproxyFrontend;
  readonly service: ServiceDef;
}

function frontendsOf(role: Role): FrontendOf[] {
  return role.haproxy.flatMap((frontend) => {
    const service = role.services.find((s) => s.key === frontend.service);
    return service === undefined ? [] : [{ role, frontend, service }];
  });
}

function renderPort(f: FrontendOf, field: "port" | "listen_port", ctx: TemplateContext): number {
  const where = `roles/${f.role.name}/role.yml: haproxy.${f.frontend.name}.${field}`;
  const text = renderTemplate(field === "port" ? f.frontend.port : f.frontend.listenPort, where, ctx);
  return toPort(text, `haproxy.${f.frontend.name}.${field}`, ctx.host);
}

/** Backend ports: where a service behind haproxy listens on this host. */
function backendPorts(placed: readonly PlacedService[], ctx: TemplateContext): PortNeed[] {
  const here = new Set(placed.map((p) => p.service));
  return placed
    .map((p) => p.role)
    .filter((role, i, all) => all.indexOf(role) === i)
    .flatMap(frontendsOf)
    .filter(({ frontend, service }) => here.has(service) && allEnabled(frontend.enabled, ctx.vars))
    .map((f) => ({ port: renderPort(f, "listen_port", ctx), label: `${f.frontend.name} backend`, container: f.service.containerName }));
}

/** Frontend ports: what haproxy binds on the VIPs of a loadbalancer host. */
function frontendPorts(roles: readonly Role[], haproxyContainer: string, ctx: TemplateContext): PortNeed[] {
  // As in the loadbalancer templates: external frontends exist only with a separate external VIP.
  const externalVip = toBool(ctx.vars["haproxy_enable_external_vip"]);
  return roles
    .flatMap(frontendsOf)
    .filter(({ frontend, service }) => allEnabled(frontend.enabled, ctx.vars) && allEnabled(service.enabled, ctx.vars))
    .filter(({ frontend }) => !frontend.external || externalVip)
    .map((f) => {
      const vip = ctx.vars[f.frontend.external ? "kolla_external_vip_address" : "kolla_internal_vip_address"];
      return {
        port: renderPort(f, "port", ctx),
        ...(typeof vip === "string" && vip !== "" ? { bindAddress: vip } : {}),
        label: `haproxy frontend ${f.frontend.name}`,
        container: haproxyContainer,
      };
    });
}

/** Every port our containers will listen on on this host, one entry per (port, address). */
export function portsFor(roles: readonly Role[], placed: readonly PlacedService[], ctx: TemplateContext): PortNeed[] {
  const haproxy = placed.find((p) => p.service.key === "haproxy");
  const all = [
    ...ownPorts(placed, ctx.vars, ctx.host),
    ...backendPorts(placed, ctx),
    ...(haproxy === undefined ? [] : frontendPorts(roles, haproxy.service.containerName, ctx)),
  ];
  const seen = new Set<string>();
  return all.filter((need) => {
    const key = `${need.bindAddress ?? ""}:${need.port}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
