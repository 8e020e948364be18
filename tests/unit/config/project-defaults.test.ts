import { describe, expect, it } from "vitest";
import { listVars, loadConfig } from "../../../src/config/index.js";
import { errorsOf, sampleInventory, tempTree } from "./fixtures.js";

// etc/defaults/all.yml as shipped, with kolla's quick-start globals.
const root = tempTree({ "kolla/globals.yml": 'kolla_internal_vip_address: "10.0.0.250"\nnetwork_interface: ens3\n' });
const config = loadConfig({ configdir: `${root}/kolla`, extraVars: [] }, sampleInventory());
const vars = config.varsFor("n1");

describe("etc/defaults/all.yml", () => {
  it("every variable resolves once the VIP is set", () => {
    expect(listVars(config, "n1", []).errors.map((e) => e.oneLine())).toEqual([]);
  });

  it("computes kolla's image tag and interfaces", () => {
    expect(vars.openstack_tag).toBe("master-debian-bookworm");
    expect(vars.api_interface).toBe("ens3");
    expect(vars.migration_interface).toBe("ens3");
    expect(vars.kolla_external_fqdn).toBe("10.0.0.250");
    expect(vars.database_address).toBe("10.0.0.250");
    expect(vars.node_custom_config).toBe(`${root}/kolla/config`);
    expect(vars.internal_protocol).toBe("http");
    expect(vars.default_container_dimensions).toEqual({});
    expect(vars.openstack_service_workers).toBe(5);
  });

  it("enables the core and infrastructure services, not the optional ones", () => {
    for (const name of ["keystone", "glance", "placement", "nova", "neutron", "heat", "horizon", "keepalived", "loadbalancer", "openvswitch"]) {
      expect([name, vars[`enable_${name}`]]).toEqual([name, true]);
    }
    for (const name of ["haproxy", "mariadb", "memcached", "rabbitmq", "fluentd"]) {
      expect([name, vars[`enable_${name}`]]).toEqual([name, "yes"]);
    }
    expect([vars.enable_cinder, vars.enable_neutron_dvr]).toEqual(["no", "no"]);
  });

  it("enable_openstack_core: no turns the core services off", () => {
    const off = loadConfig({ configdir: `${root}/kolla`, extraVars: ["enable_openstack_core=no"] }, sampleInventory()).varsFor("n1");
    expect([off.enable_keystone, off.enable_nova, off.enable_openvswitch]).toEqual([false, false, false]);
  });

  it("without kolla_internal_vip_address, what depends on it names the chain", () => {
    const bare = loadConfig({ configdir: `${root}/nowhere`, extraVars: [] }, sampleInventory());
    const [error] = errorsOf(() => bare.varsFor("n1").database_address);
    expect(error!.message).toBe("undefined variable: database_address -> kolla_internal_fqdn -> kolla_internal_vip_address");
    expect(error!.oneLine()).toMatch(/etc\/defaults\/all\.yml:\d+: database_address: /);
  });
});
