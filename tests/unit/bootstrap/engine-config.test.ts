import { describe, expect, it } from "vitest";
import { dockerDaemonConfig, podmanRegistriesConf, sameDaemonConfig, toNiceJson, type DockerDaemonInputs } from "../../../src/bootstrap/engine-config.js";

const KOLLA_DEFAULTS: DockerDaemonInputs = {
  logMaxFile: "5",
  logMaxSize: "50m",
  registry: "quay.io",
  registryInsecure: false,
  registryMirrors: [],
  storageDriver: "",
  runtimeDirectory: "",
  disableIptables: true,
  disableNetwork: true,
  disableIpForward: true,
  mtu: undefined,
  custom: {},
};

describe("docker daemon.json", () => {
  it("kolla's defaults: log options, no iptables, no docker0 bridge, no ip forwarding", () => {
    expect(dockerDaemonConfig(KOLLA_DEFAULTS)).toEqual({
      "log-opts": { "max-file": "5", "max-size": "50m" },
      iptables: false,
      bridge: "none",
      "ip-forward": false,
    });
  });

  it("adds the registry as insecure only when docker_registry_insecure, and mirrors, storage, data-root and mtu when set", () => {
    const config = dockerDaemonConfig({
      ...KOLLA_DEFAULTS,
      registry: "10.0.0.1:5000",
      registryInsecure: true,
      registryMirrors: ["http://mirror:8082/"],
      storageDriver: "overlay2",
      runtimeDirectory: "/srv/docker",
      disableIptables: false,
      disableNetwork: false,
      disableIpForward: false,
      mtu: 1450,
    });
    expect(config).toEqual({
      "log-opts": { "max-file": "5", "max-size": "50m" },
      "insecure-registries": ["10.0.0.1:5000"],
      "registry-mirrors": ["http://mirror:8082/"],
      "storage-driver": "overlay2",
      "data-root": "/srv/docker",
      mtu: 1450,
    });
  });

  it("docker_custom_config replaces whole top-level keys (Ansible's combine)", () => {
    const config = dockerDaemonConfig({ ...KOLLA_DEFAULTS, custom: { "log-opts": { "max-size": "1g" }, "live-restore": true } });
    expect(config["log-opts"]).toEqual({ "max-size": "1g" });
    expect(config["live-restore"]).toBe(true);
  });

  it("is written as Ansible's to_nice_json: sorted keys at every level, 4-space indent, no final newline", () => {
    expect(toNiceJson({ b: 1, a: { d: [1, "x"], c: false } })).toBe('{\n    "a": {\n        "c": false,\n        "d": [\n            1,\n            "x"\n        ]\n    },\n    "b": 1\n}');
  });

  it("compares configurations, not formatting, to decide on a restart", () => {
    expect(sameDaemonConfig('{"a": 1, "b": [1,2]}', '{\n  "b": [1, 2],\n  "a": 1\n}')).toBe(true);
    expect(sameDaemonConfig('{"mtu": 1500}', '{"mtu": 1400}')).toBe(false);
    expect(sameDaemonConfig("not json", "{}")).toBe(false);
  });
});

describe("podman registries.conf.d drop-in", () => {
  it("lists the registry with its insecure flag in TOML", () => {
    expect(podmanRegistriesConf({ location: "10.0.0.1:5000", insecure: true })).toBe('[[registry]]\nlocation = "10.0.0.1:5000"\ninsecure = true\n');
  });
});
