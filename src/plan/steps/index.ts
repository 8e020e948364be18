/**
 * A role's bootstrap step → the commands that do it on its host, with every template field
 * rendered now, at plan time. Each step kind is a fixed, typed operation; role files only fill in
 * its fields. Pure.
 */
import type { ContainerEngineDriver } from "../../engine/driver.js";
import type { ContainerSpec } from "../../engine/types.js";
import { DeployError } from "../../errors.js";
import type { Vars } from "../../inventory/types.js";
import type { BootstrapStep, DatabaseStep, ExecStep, KeystoneRegisterStep, OneShotStep } from "../../roles/index.js";
import type { PlannedCommand } from "../types.js";
import { bootstrapOp } from "./command.js";
import { removeCommand } from "./containers.js";
import { databaseCommand } from "./database.js";
import { keystoneRegisterCommand } from "./keystone.js";

export interface StepInputs {
  /** renders one template field; `key` names it in errors */
  readonly render: (text: string, key: string) => string;
  readonly vars: Vars;
  readonly driver: ContainerEngineDriver;
  /** the step's service's container spec on this host, when it runs here */
  readonly spec: ContainerSpec | undefined;
  /** `roles/<role>/role.yml: bootstrap[<i>]`, for errors */
  readonly where: string;
}

function database(step: DatabaseStep, s: StepInputs): PlannedCommand[] {
  const fields = { database: s.render(step.database, "database"), user: s.render(step.user, "user"), password: s.render(step.password, "password") };
  const server = {
    address: String(s.vars["database_address"]), port: String(s.vars["database_port"] ?? 3306),
    rootUser: String(s.vars["database_user"] ?? "root"), rootPassword: String(s.vars["database_password"] ?? ""),
  };
  return [databaseCommand(fields, server, s.driver)];
}

/** A throw-away container of the service's image, volumes and environment plus KOLLA_BOOTSTRAP or KOLLA_UPGRADE. */
function oneShot(step: OneShotStep, s: StepInputs): PlannedCommand[] {
  if (s.spec === undefined) {
    throw new DeployError("E_BOOTSTRAP", `${s.where}: service ${step.service} does not run on this host`, "check the step's service and its groups");
  }
  const env: Record<string, string> = { ...s.spec.environment };
  for (const [k, val] of Object.entries(step.environment)) env[k] = s.render(val, `environment.${k}`);
  env[step.mode === "upgrade" ? "KOLLA_UPGRADE" : "KOLLA_BOOTSTRAP"] = "";
  const name = s.render(step.containerName, "container_name");
  const { healthcheck: _none, ...spec } = { ...s.spec, name, environment: env, labels: { ...s.spec.labels, BOOTSTRAP: "" } };
  // An earlier run's leftover goes first; the container is removed whatever happened.
  return [removeCommand(s.driver, name), bootstrapOp(`one-shot container ${name}`, s.driver.runOnce(spec)), removeCommand(s.driver, name, true)];
}

function keystoneRegister(step: KeystoneRegisterStep, s: StepInputs): PlannedCommand[] {
  const r = (t: string, k: string) => s.render(t, k);
  const registration = {
    name: r(step.serviceName, "name"), type: r(step.serviceType, "type"), description: r(step.description, "description"),
    internalUrl: r(step.endpoints.internal, "endpoints.internal"), publicUrl: r(step.endpoints.public, "endpoints.public"),
    region: r(step.region, "region"), project: r(step.project, "project"), roles: step.roles,
    userName: step.user === undefined ? "" : r(step.user.name, "user.name"),
    userPassword: step.user === undefined ? "" : r(step.user.password, "user.password"),
  };
  const admin = { authUrl: String(s.vars["keystone_internal_url"] ?? ""), password: String(s.vars["keystone_admin_password"] ?? "") };
  return [keystoneRegisterCommand(registration, admin, s.driver)];
}

function execStep(step: ExecStep, s: StepInputs): PlannedCommand[] {
  const container = s.render(step.container, "container");
  const argv = step.command.map((a, i) => s.render(a, `command[${i}]`));
  return [bootstrapOp(`exec ${argv[0] ?? ""} in ${container}`, s.driver.exec(container, argv), { acceptCodes: step.acceptExitCodes })];
}

export function stepCommands(step: BootstrapStep, s: StepInputs): PlannedCommand[] {
  switch (step.kind) {
    case "database":
      return database(step, s);
    case "one_shot":
      return oneShot(step, s);
    case "keystone_register":
      return keystoneRegister(step, s);
    case "exec":
      return execStep(step, s);
  }
}
