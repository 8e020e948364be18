/** haproxy_services: which hosts become backends of a frontend. */
import { describe, expect, it } from "vitest";
import { haproxyServices } from "../../../src/plan/haproxy.js";
import type { HaproxyFrontend, Role, ServiceDef } from "../../../src/roles/index.js";
import type { HostLookup } from "../../../src/template/types.js";

const where = { file: "roles/glance/role.yml", path: "x" } as unknown as ServiceDef["where"];

const service = {
  key: "glance-api", containerName: "glance_api", groups: ["glance-api"], enabled: ["enable_glance", "glance_api_host_in_groups"],
  image: "img", environment: {}, volumes: [], privileged: false, capAdd: [], securityOpt: [], tmpfs: [], labels: {},
  configJson: "glance-api.json.hbs", configFiles: [], where,
} as ServiceDef;

const frontend: HaproxyFrontend = {
  name: "glance_api", service: "glance-api", enabled: ["enable_glance"], mode: "http", external: false,
  port: "9292", listenPort: "9292", activePassive: false, frontendExtra: [], backendExtra: [], where,
};

const role = { name: "glance", project: "glance", tags: [], services: [service], haproxy: [frontend], bootstrap: [], dir: "/r", templates: [] } as Role;

function lookup(perHost: Record<string, boolean>): HostLookup {
  const hosts = Object.keys(perHost);
  return {
    groupHosts: (g) => (g === "glance-api" ? hosts : []),
    hostGroups: () => ["glance-api", "all"],
    hostVars: (h) => ({ enable_glance: true, glance_api_host_in_groups: perHost[h] }),
    address: (h) => `10.0.0.${hosts.indexOf(h) + 11}`,
  };
}

describe("haproxyServices", () => {
  const vars = { enable_glance: true, glance_api_host_in_groups: true, kolla_internal_vip_address: "10.0.0.250" };

  it("lists every host of the service's groups as a backend", () => {
    const [svc] = haproxyServices([role], { host: "ctl1", vars, lookup: lookup({ ctl1: true, ctl2: true, ctl3: true }) });
    expect(svc!.backends.map((b) => [b.name, b.address])).toEqual([["ctl1", "10.0.0.11"], ["ctl2", "10.0.0.12"], ["ctl3", "10.0.0.13"]]);
  });

  it("leaves out hosts where a per-host switch disables the service (glance's file store on its first host only)", () => {
    const [svc] = haproxyServices([role], { host: "ctl2", vars, lookup: lookup({ ctl1: true, ctl2: false, ctl3: false }) });
    expect(svc!.backends.map((b) => b.name)).toEqual(["ctl1"]);
  });
});

describe("haproxyServices on a loadbalancer host where the service itself is off", () => {
  it("still serves the frontend when another host runs the service (every keepalived host may hold the VIP)", () => {
    const vars = { enable_glance: true, glance_api_host_in_groups: false, kolla_internal_vip_address: "10.0.0.250" };
    const [svc] = haproxyServices([role], { host: "ctl3", vars, lookup: lookup({ ctl1: true, ctl2: false, ctl3: false }) });
    expect(svc!.backends.map((b) => b.name)).toEqual(["ctl1"]);
  });

  it("drops the frontend when no host runs the service", () => {
    const vars = { enable_glance: true, glance_api_host_in_groups: false, kolla_internal_vip_address: "10.0.0.250" };
    expect(haproxyServices([role], { host: "ctl3", vars, lookup: lookup({ ctl1: false, ctl2: false }) })).toEqual([]);
  });
});
