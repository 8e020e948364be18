/**
 * Golden renders of key role templates through the real template engine, for a fake three-host
 * cloud. Variables not set below render as «name», so each golden shows what comes from where.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadRoles, readRoleTemplate, type Role } from "../../../src/roles/index.js";
import { renderTemplate, type HostLookup, type TemplateContext } from "../../../src/template/render.js";
import { REPO_ROOT } from "../../helpers/cli.js";

const roles = loadRoles(join(REPO_ROOT, "roles"));
const HOSTS = ["ctl1", "ctl2", "cmp1"];
const ADDRESSES: Record<string, string> = { ctl1: "10.0.0.11", ctl2: "10.0.0.12", cmp1: "10.0.0.21" };
const GROUPS: Record<string, string[]> = {
  loadbalancer: ["ctl1", "ctl2"], rabbitmq: ["ctl1", "ctl2"], memcached: ["ctl1", "ctl2"],
  mariadb: ["ctl1", "ctl2"], keystone: ["ctl1", "ctl2"], network: ["ctl1", "ctl2"], compute: ["cmp1"],
};

/** Every variable exists; unset ones render as «name» so the golden shows the reference. */
function placeholderVars(values: Record<string, unknown>): Record<string, unknown> {
  const get = (name: string): unknown => (name in values ? values[name] : `«${name}»`);
  return new Proxy(values, {
    has: () => true,
    get: (_target, name) => (typeof name === "string" ? get(name) : undefined),
    getOwnPropertyDescriptor: (_target, name) =>
      typeof name === "string" ? { configurable: true, enumerable: true, writable: false, value: get(name) } : undefined,
  });
}

function context(host: string, values: Record<string, unknown>): TemplateContext {
  const lookup: HostLookup = {
    groupHosts: (group) => GROUPS[group] ?? [],
    hostGroups: (h) => Object.keys(GROUPS).filter((g) => GROUPS[g]!.includes(h)),
    hostVars: (h) => placeholderVars({ rabbitmq_erlang_address: ADDRESSES[h]!.replaceAll(".", ",") }),
    address: (h) => ADDRESSES[h]!,
  };
  const vars = placeholderVars({
    inventory_hostname: host, api_interface_address: ADDRESSES[host], rabbitmq_port: 5672, memcached_port: 11211,
    rabbitmq_user: "openstack", ...values,
  });
  return { vars, host, lookup };
}

function render(roleName: string, template: string, host: string, values: Record<string, unknown> = {}): string {
  const role = roles.find((r) => r.name === roleName) as Role;
  return renderTemplate(readRoleTemplate(role, template), `roles/${roleName}/templates/${template}`, context(host, values));
}

describe("role templates render", () => {
  it("nova.conf: rabbit transport over the rabbitmq group, memcached servers, database and placement", () => {
    const text = render("nova", "nova.conf.hbs", "cmp1", { rabbitmq_password: "RPW" });
    expect(text).toContain("transport_url = rabbit://openstack:RPW@10.0.0.11:5672,openstack:RPW@10.0.0.12:5672//\n");
    expect(text).toContain("memcached_servers = 10.0.0.11:11211,10.0.0.12:11211\n");
    expect(text).toContain("connection = mysql+pymysql://«nova_database_user»:«nova_database_password»@«nova_database_address»/«nova_database_name»\n");
    expect(text).toMatch(/\[placement\]\nauth_type = password\n/);
    expect(text).toContain("[oslo_concurrency]\nlock_path = /var/lib/nova/tmp\n");
    expect(text).toContain("my_ip = 10.0.0.21\n");
  });

  it("keepalived.conf: priority by position in the loadbalancer group, VIP on api_interface", () => {
    const vars = { keepalived_virtual_router_id: "51", api_interface: "eth1", kolla_internal_vip_address: "10.0.0.250", keepalived_traffic_mode: "multicast", haproxy_enable_external_vip: "no", keepalived_password: "KPW" };
    const second = render("loadbalancer", "keepalived.conf.hbs", "ctl2", vars);
    expect(second).toMatch(/\n {4}priority 11\n/);
    expect(render("loadbalancer", "keepalived.conf.hbs", "ctl1", vars)).toMatch(/\n {4}priority 10\n/);
    expect(second).toContain("        10.0.0.250 dev eth1\n");
    expect(second).not.toContain("«kolla_external_vip_address»");
    expect(second).toContain("auth_pass KPW\n");
  });

  it("haproxy-services.cfg follows the haproxy_services contract (backup members, external VIP skipped)", () => {
    const backends = [
      { name: "ctl1", address: "10.0.0.11", port: "3306", backup: false },
      { name: "ctl2", address: "10.0.0.12", port: "3306", backup: true },
    ];
    const haproxy_services = [
      { name: "mariadb", mode: "tcp", external: false, vip_address: "10.0.0.250", port: "3306", listen_port: "3306", frontend_extra: ["option clitcpka"], backend_extra: [], backends },
      { name: "keystone_external", mode: "http", external: true, vip_address: "10.0.0.250", port: "5000", listen_port: "5000", frontend_extra: [], backend_extra: [], backends },
    ];
    const text = render("loadbalancer", "haproxy-services.cfg.hbs", "ctl1", { haproxy_services, haproxy_enable_external_vip: "no" });
    expect(text).toContain("frontend mariadb_front\n    mode tcp\n    option tcplog\n    bind 10.0.0.250:3306\n    option clitcpka\n    default_backend mariadb_back\n");
    expect(text).toContain("    server ctl1 10.0.0.11:3306 check inter 2000 rise 2 fall 5\n    server ctl2 10.0.0.12:3306 check inter 2000 rise 2 fall 5 backup\n");
    expect(text).not.toContain("keystone_external");
  });

  it("rabbitmq.conf and erl_inetrc name every cluster node", () => {
    const conf = render("rabbitmq", "rabbitmq.conf.hbs", "ctl1");
    expect(conf).toContain("cluster_formation.classic_config.nodes.0 = rabbit@ctl1\ncluster_formation.classic_config.nodes.1 = rabbit@ctl2\n");
    expect(conf).toContain("listeners.tcp.1 = 10.0.0.11:5672\n");
    expect(render("rabbitmq", "erl_inetrc.hbs", "ctl1")).toBe('{host, {10,0,0,11}, ["ctl1"]}.\n{host, {10,0,0,12}, ["ctl2"]}.\n{lookup, [file, native]}.\n');
  });

  it("galera.cnf lists the cluster and config.json templates render to JSON", () => {
    expect(render("mariadb", "galera.cnf.hbs", "ctl1", { mariadb_wsrep_port: 4567, kolla_base_distro: "rocky" }))
      .toContain("wsrep_cluster_address = gcomm://10.0.0.11:4567,10.0.0.12:4567\n");
    for (const role of roles) {
      for (const service of role.services) {
        const json = render(role.name, service.configJson, HOSTS[0]!, { kolla_base_distro: "rocky" });
        expect(() => JSON.parse(json), `${role.name}/${service.configJson}`).not.toThrow();
      }
    }
  });
});
