/** Hand-made executable plans for the scheduler's tests: pure data, the real command builders. */
import { dockerDriver } from "../../../src/engine/driver.js";
import type { ContainerSpec } from "../../../src/engine/types.js";
import { emptyRecord } from "../../../src/plan/record.js";
import { bootstrapOp } from "../../../src/plan/steps/command.js";
import { containerCommands } from "../../../src/plan/steps/containers.js";
import { recordWrite } from "../../../src/plan/steps/record.js";
import { fxFullSpec } from "../../fixtures/engine/fx-full-spec.js";
import type { BootstrapChange, ContainerChange, HostPlan, Plan } from "../../../src/plan/types.js";

export function spec(name: string): ContainerSpec {
  return { ...fxFullSpec, name, image: `reg/${name}:t` };
}

export function container(role: string, name: string, action: ContainerChange["action"] = "create"): ContainerChange {
  const s = spec(name);
  return {
    role, service: name, container: name, action, reasons: ["container missing"], spec: s, configHash: `h-${name}`, fileHashes: {},
    commands: containerCommands(action, s, dockerDriver, { graceSec: 10, insecureRegistry: false, imagePresent: true }),
  };
}

export function runOnceStep(role: string, index: number, argv: string[]): BootstrapChange {
  return {
    role, step: `${role}:${index}:exec`, description: `exec ${argv[0]}`, reason: "never run on this host", phase: "bootstrap", runOnce: true, image: `reg/${role}:t`,
    commands: [bootstrapOp(`exec ${argv[0]} in ${role}`, dockerDriver.exec(role, argv))],
  };
}

export function hostPlan(host: string, containers: ContainerChange[], bootstrap: BootstrapChange[] = [], files = 0): HostPlan {
  const uploads = Array.from({ length: files }, (_v, i) => ({ path: `/etc/kolla/x/f${i}`, content: `c${i}\n`, sha256: "0".repeat(64), mode: 0o600, owner: "root", group: "root" }));
  const record = recordWrite(emptyRecord(), containers, bootstrap);
  return {
    host, files: uploads.map((u) => ({ path: u.path, action: "create" as const, reasons: ["new file"] })), containers, bootstrap, uploads,
    ...(record === undefined ? {} : { record }),
  };
}

export function plan(roles: string[], hosts: HostPlan[]): Plan {
  return { verb: "deploy", roles, hosts, warnings: [] };
}
