/**
 * Runs one planned bootstrap step on its host. Each step kind is a fixed, typed operation; role
 * files only fill in its fields. Passwords travel on stdin or in argv marked secret, never in logs.
 */
import { DeployError } from "../errors.js";
import type { ContainerEngineDriver } from "../engine/driver.js";
import { runOneShot, type CommandRunner } from "../engine/ops.js";
import type { CommandResult } from "../exec/types.js";
import type { DatabaseStep, ExecStep, KeystoneRegisterStep, OneShotStep } from "../roles/index.js";
import { renderTemplate, type TemplateContext } from "../template/render.js";
import type { DesiredHost } from "../plan/desired.js";
import type { PlannedStep } from "../plan/bootstrap.js";

export interface StepContext {
  readonly run: CommandRunner;
  readonly driver: ContainerEngineDriver;
  readonly ctx: TemplateContext;
  readonly desired: DesiredHost | undefined;
}

function render(text: string, where: string, ctx: TemplateContext): string {
  return text.includes("{{") ? renderTemplate(text, where, ctx) : text;
}

function check(r: CommandResult, what: string, accept: readonly number[] = [0]): void {
  if (accept.includes(r.code)) return;
  // The last line says why (the first is often docker's "Unable to find image ... locally").
  const lastLine = (text: string) => text.split("\n").filter((l) => l.trim() !== "").at(-1)?.trim();
  const line = lastLine(r.stderr) ?? lastLine(r.stdout) ?? `exit code ${r.code}`;
  throw new DeployError("E_BOOTSTRAP", `${what} failed (exit ${r.code}): ${line}`, "see the container's output above; fix the cause and run deploy again");
}

function sqlString(s: string): string {
  return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

function sqlIdent(s: string): string {
  return `\`${s.replace(/`/g, "``")}\``;
}

/** kolla's mysql_db + mysql_user through kolla_toolbox; the root password is the first stdin line. */
async function database(step: DatabaseStep, sc: StepContext, where: string): Promise<void> {
  const v = sc.ctx.vars;
  const db = render(step.database, `${where}.database`, sc.ctx);
  const user = render(step.user, `${where}.user`, sc.ctx);
  const password = render(step.password, `${where}.password`, sc.ctx);
  const sql = [
    `CREATE DATABASE IF NOT EXISTS ${sqlIdent(db)};`,
    `CREATE USER IF NOT EXISTS ${sqlString(user)}@'%' IDENTIFIED BY ${sqlString(password)};`,
    `ALTER USER ${sqlString(user)}@'%' IDENTIFIED BY ${sqlString(password)};`,
    `GRANT ALL PRIVILEGES ON ${sqlIdent(db)}.* TO ${sqlString(user)}@'%';`,
  ].join("\n");
  const script = 'IFS= read -r MYSQL_PWD; export MYSQL_PWD; exec mysql -h "$1" -P "$2" -u "$3"';
  const argv = [sc.driver.name, "exec", "-i", "kolla_toolbox", "sh", "-c", script, "sh",
    String(v["database_address"]), String(v["database_port"] ?? 3306), String(v["database_user"] ?? "root")];
  const rootPassword = String(v["database_password"] ?? "");
  check(await sc.run({ argv, stdin: `${rootPassword}\n${sql}\n`, secrets: [rootPassword, password] }), `creating database ${db}`);
}

async function oneShot(step: OneShotStep, sc: StepContext, where: string): Promise<void> {
  const svc = sc.desired?.services.find((s) => s.service.key === step.service);
  if (svc === undefined) {
    throw new DeployError("E_BOOTSTRAP", `${where}: service ${step.service} does not run on this host`, "check the step's service and its groups");
  }
  const env: Record<string, string> = { ...svc.spec.environment };
  for (const [k, val] of Object.entries(step.environment)) env[k] = render(val, `${where}.environment.${k}`, sc.ctx);
  env[step.mode === "upgrade" ? "KOLLA_UPGRADE" : "KOLLA_BOOTSTRAP"] = "";
  const name = render(step.containerName, `${where}.container_name`, sc.ctx);
  const spec = { ...svc.spec, name, environment: env, labels: { ...svc.spec.labels, BOOTSTRAP: "" } };
  const { healthcheck: _none, ...withoutHealth } = spec;
  check(await runOneShot(sc.run, sc.driver, withoutHealth), `one-shot container ${name}`);
}

/** Service, endpoints, user and roles, each created only if missing (the openstack CLI in kolla_toolbox). */
async function keystoneRegister(step: KeystoneRegisterStep, sc: StepContext, where: string): Promise<void> {
  const r = (t: string, k: string) => render(t, `${where}.${k}`, sc.ctx);
  const v = sc.ctx.vars;
  const name = r(step.serviceName, "name");
  const type = r(step.serviceType, "type");
  const region = r(step.region, "region");
  const script = `set -e
IFS= read -r OS_PASSWORD; export OS_PASSWORD
openstack service show "$1" >/dev/null 2>&1 || openstack service create --name "$1" --description "$3" "$2" >/dev/null
for iface in internal public; do
  if [ $iface = internal ]; then url=$4; else url=$5; fi
  openstack endpoint list --service "$1" --interface $iface --region "$6" -f value -c ID | grep -q . ||
    openstack endpoint create --region "$6" "$1" $iface "$url" >/dev/null
done
if [ -n "$7" ]; then
  IFS= read -r USER_PASSWORD
  # kolla's service-ks-register creates the service project too (keystone bootstrap makes only admin).
  openstack project show "$8" >/dev/null 2>&1 || openstack project create --domain default "$8" >/dev/null
  openstack user show "$7" >/dev/null 2>&1 || openstack user create --project "$8" --password "$USER_PASSWORD" "$7" >/dev/null
  shift 8
  for role in "$@"; do openstack role add --project "$PROJECT" --user "$USER" "$role"; done
fi`;
  const userName = step.user === undefined ? "" : r(step.user.name, "user.name");
  const userPassword = step.user === undefined ? "" : r(step.user.password, "user.password");
  const project = r(step.project, "project");
  const env = ["-e", `OS_AUTH_URL=${String(v["keystone_internal_url"] ?? "")}`, "-e", "OS_USERNAME=admin", "-e", "OS_PROJECT_NAME=admin",
    "-e", "OS_USER_DOMAIN_NAME=Default", "-e", "OS_PROJECT_DOMAIN_NAME=Default", "-e", `OS_REGION_NAME=${region}`,
    "-e", `PROJECT=${project}`, "-e", `USER=${userName}`];
  const argv = [sc.driver.name, "exec", "-i", ...env, "kolla_toolbox", "sh", "-c", script, "sh",
    name, type, r(step.description, "description"), r(step.endpoints.internal, "endpoints.internal"),
    r(step.endpoints.public, "endpoints.public"), region, userName, project, ...step.roles];
  const admin = String(v["keystone_admin_password"] ?? "");
  check(await sc.run({ argv, stdin: `${admin}\n${userPassword}\n`, secrets: [admin, userPassword] }), `registering ${name} in keystone`);
}

async function execStep(step: ExecStep, sc: StepContext, where: string): Promise<void> {
  const container = render(step.container, `${where}.container`, sc.ctx);
  const argv = step.command.map((a, i) => render(a, `${where}.command[${i}]`, sc.ctx));
  check(await sc.run(sc.driver.exec(container, argv)), `exec ${argv[0] ?? ""} in ${container}`, step.acceptExitCodes);
}

export async function runStep(planned: PlannedStep, sc: StepContext): Promise<void> {
  const where = `roles/${planned.role.name}/role.yml: bootstrap[${planned.id.split(":")[1]}]`;
  const step = planned.step;
  switch (step.kind) {
    case "database":
      return database(step, sc, where);
    case "one_shot":
      return oneShot(step, sc, where);
    case "keystone_register":
      return keystoneRegister(step, sc, where);
    case "exec":
      return execStep(step, sc, where);
  }
}
