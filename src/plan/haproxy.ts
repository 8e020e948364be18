/**
 * `haproxy_services` for a loadbalancer host (contract in docs/roles.md): every enabled frontend of
 * every role, in site order, with its backends on their api_interface addresses.
 */
import type { HaproxyFrontend, Role, ServiceDef } from "../roles/index.js";
import { renderTemplate, type TemplateContext } from "../template/render.js";
import { allEnabled } from "./render-files.js";

export interface HaproxyBackend {
  name: string;
  address: string;
  port: string;
  backup: boolean;
}

export interface HaproxyService {
  name: string;
  role: string;
  service: string;
  mode: string;
  external: boolean;
  vip_address: string;
  port: string;
  listen_port: string;
  frontend_extra: string[];
  backend_extra: string[];
  backends: HaproxyBackend[];
}

function serviceOf(role: Role, frontend: HaproxyFrontend): ServiceDef | undefined {
  return role.services.find((s) => s.key === frontend.service);
}

/** The service's hosts where it is enabled: a per-host switch (glance_api_host_in_groups) leaves a host out, as kolla's host lists do. */
function hostsOf(service: ServiceDef, ctx: TemplateContext): string[] {
  const seen = new Set<string>();
  for (const group of service.groups) for (const h of ctx.lookup.groupHosts(group)) seen.add(h);
  return [...seen].filter((h) => allEnabled(service.enabled, ctx.lookup.hostVars(h)));
}

function entry(role: Role, frontend: HaproxyFrontend, service: ServiceDef, backendHosts: readonly string[], ctx: TemplateContext): HaproxyService {
  const where = `roles/${role.name}/role.yml: haproxy.${frontend.name}`;
  const r = (text: string, key: string) => renderTemplate(text, `${where}.${key}`, ctx);
  const listenPort = r(frontend.listenPort, "listen_port");
  const vip = frontend.external ? ctx.vars["kolla_external_vip_address"] : ctx.vars["kolla_internal_vip_address"];
  return {
    name: frontend.name,
    role: role.name,
    service: frontend.service,
    mode: frontend.mode,
    external: frontend.external,
    vip_address: String(vip),
    port: r(frontend.port, "port"),
    listen_port: listenPort,
    frontend_extra: frontend.frontendExtra.map((l, i) => r(l, `frontend_extra[${i}]`)),
    backend_extra: frontend.backendExtra.map((l, i) => r(l, `backend_extra[${i}]`)),
    backends: backendHosts.map((host, index) => ({
      name: host,
      address: ctx.lookup.address(host, "api_interface"),
      port: listenPort,
      backup: frontend.activePassive && index > 0,
    })),
  };
}

export function haproxyServices(roles: readonly Role[], ctx: TemplateContext): HaproxyService[] {
  const out: HaproxyService[] = [];
  for (const role of roles) {
    for (const frontend of role.haproxy) {
      const service = serviceOf(role, frontend);
      if (service === undefined) continue;
      if (!allEnabled(frontend.enabled, ctx.vars)) continue;
      // The service's switches are judged on its own hosts, not on this loadbalancer host: a
      // per-host switch (glance_api_host_in_groups) must not drop the frontend from the others.
      const backendHosts = hostsOf(service, ctx);
      if (backendHosts.length === 0) continue;
      out.push(entry(role, frontend, service, backendHosts, ctx));
    }
  }
  return out;
}
