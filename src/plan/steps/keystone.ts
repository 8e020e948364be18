/**
 * kolla's service-ks-register through the openstack CLI in kolla_toolbox: the service, its
 * endpoints, and its project, user and roles, each created only when missing. Passwords are stdin
 * lines; the rest is argv. Pure.
 */
import type { ContainerEngineDriver } from "../../engine/driver.js";
import type { PlannedCommand } from "../types.js";
import { bootstrapOp } from "./command.js";

export interface KeystoneRegistration {
  readonly name: string;
  readonly type: string;
  readonly description: string;
  readonly internalUrl: string;
  readonly publicUrl: string;
  readonly region: string;
  /** empty: register no user */
  readonly userName: string;
  readonly userPassword: string;
  readonly project: string;
  readonly roles: readonly string[];
}

export interface KeystoneAdmin {
  readonly authUrl: string;
  readonly password: string;
}

// $1 name, $2 type, $3 description, $4 internal URL, $5 public URL, $6 region, $7 user, $8 project, then roles.
const SCRIPT = `set -e
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
  # kolla creates the roles its users need (keystone bootstrap makes only admin, member and reader).
  for role in "$@"; do
    openstack role show "$role" >/dev/null 2>&1 || openstack role create "$role" >/dev/null
    openstack role add --project "$PROJECT" --user "$USER" "$role"
  done
fi`;

export function keystoneRegisterCommand(r: KeystoneRegistration, admin: KeystoneAdmin, driver: ContainerEngineDriver): PlannedCommand {
  const env = {
    OS_AUTH_URL: admin.authUrl, OS_USERNAME: "admin", OS_PROJECT_NAME: "admin", OS_USER_DOMAIN_NAME: "Default",
    OS_PROJECT_DOMAIN_NAME: "Default", OS_REGION_NAME: r.region, PROJECT: r.project, USER: r.userName,
  };
  const argv = ["sh", "-c", SCRIPT, "sh", r.name, r.type, r.description, r.internalUrl, r.publicUrl, r.region, r.userName, r.project, ...r.roles];
  const command = driver.exec("kolla_toolbox", argv, { interactive: true, env });
  const secrets = [admin.password, r.userPassword].filter((s) => s !== "");
  return bootstrapOp(`registering ${r.name} in keystone`, { ...command, stdin: `${admin.password}\n${r.userPassword}\n`, secrets });
}
