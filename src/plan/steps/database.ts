/**
 * kolla's mysql_db + mysql_user through kolla_toolbox, as one command: the root password is the
 * first stdin line and the SQL follows, so no password is ever in a host's argv. Pure.
 */
import type { ContainerEngineDriver } from "../../engine/driver.js";
import type { PlannedCommand } from "../types.js";
import { bootstrapOp } from "./command.js";

export interface DatabaseFields {
  readonly database: string;
  readonly user: string;
  readonly password: string;
}

export interface DatabaseServer {
  readonly address: string;
  readonly port: string;
  readonly rootUser: string;
  readonly rootPassword: string;
}

function sqlString(s: string): string {
  return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

function sqlIdent(s: string): string {
  return `\`${s.replace(/`/g, "``")}\``;
}

export function databaseSql(f: DatabaseFields): string {
  return [
    `CREATE DATABASE IF NOT EXISTS ${sqlIdent(f.database)};`,
    `CREATE USER IF NOT EXISTS ${sqlString(f.user)}@'%' IDENTIFIED BY ${sqlString(f.password)};`,
    `ALTER USER ${sqlString(f.user)}@'%' IDENTIFIED BY ${sqlString(f.password)};`,
    `GRANT ALL PRIVILEGES ON ${sqlIdent(f.database)}.* TO ${sqlString(f.user)}@'%';`,
  ].join("\n");
}

const READ_PASSWORD = 'IFS= read -r MYSQL_PWD; export MYSQL_PWD; exec mysql -h "$1" -P "$2" -u "$3"';

export function databaseCommand(f: DatabaseFields, server: DatabaseServer, driver: ContainerEngineDriver): PlannedCommand {
  const argv = ["sh", "-c", READ_PASSWORD, "sh", server.address, server.port, server.rootUser];
  const command = driver.exec("kolla_toolbox", argv, { interactive: true });
  // The escaped form is what the SQL text holds: it is a secret too.
  const secrets = [server.rootPassword, f.password, sqlString(f.password).slice(1, -1)].filter((s) => s !== "");
  return bootstrapOp(`creating database ${f.database}`, { ...command, stdin: `${server.rootPassword}\n${databaseSql(f)}\n`, secrets });
}
