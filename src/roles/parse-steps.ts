/** Reads a role's `haproxy:` frontends and `bootstrap:` steps (a closed set of typed kinds). */
import type { BootstrapStep, HaproxyFrontend, StepAction, StepPhase } from "./types.js";
import { join, type Entry, type Reader } from "./reader.js";

const FRONTEND_KEYS = ["service", "enabled", "mode", "external", "port", "listen_port", "active_passive", "frontend_extra", "backend_extra"] as const;

export function parseFrontend(reader: Reader, name: string, entry: Entry, path: string): HaproxyFrontend | undefined {
  const fields = reader.map(entry.node, path, FRONTEND_KEYS, ["service", "enabled", "mode", "port", "listen_port"], entry.line);
  if (fields === undefined) return undefined;
  const service = reader.string(fields.get("service"), join(path, "service"));
  const port = reader.text(fields.get("port"), join(path, "port"));
  const listenPort = reader.text(fields.get("listen_port"), join(path, "listen_port"));
  if (service === undefined || port === undefined || listenPort === undefined) return undefined;
  return {
    name,
    service,
    enabled: reader.variableNames(fields.get("enabled"), join(path, "enabled")),
    mode: reader.oneOf(fields.get("mode"), join(path, "mode"), ["http", "tcp"] as const, "http"),
    external: reader.bool(fields.get("external"), join(path, "external"), false),
    port,
    listenPort,
    activePassive: reader.bool(fields.get("active_passive"), join(path, "active_passive"), false),
    frontendExtra: reader.textList(fields.get("frontend_extra"), join(path, "frontend_extra")),
    backendExtra: reader.textList(fields.get("backend_extra"), join(path, "backend_extra")),
    where: { file: reader.file, ...(entry.line === undefined ? {} : { line: entry.line }) },
  };
}

const COMMON_KEYS = ["kind", "service", "enabled", "phase", "actions"] as const;
const KIND_KEYS = {
  database: ["database", "user", "password"],
  one_shot: ["container_name", "mode", "environment"],
  keystone_register: ["name", "type", "description", "endpoints", "user", "project", "roles", "region"],
  exec: ["container", "command", "run_once", "accept_exit_codes", "group", "description", "rerun_on_change"],
} as const;
const KIND_REQUIRED = {
  database: ["database", "user", "password"],
  one_shot: ["container_name", "mode"],
  keystone_register: ["name", "type", "endpoints", "project", "region"],
  exec: ["container", "command"],
} as const;
type Kind = keyof typeof KIND_KEYS;
const KINDS = Object.keys(KIND_KEYS) as Kind[];
const PHASES: readonly StepPhase[] = ["register", "bootstrap", "post_start"];
const DEFAULT_PHASE: Record<Kind, StepPhase> = {
  database: "bootstrap",
  one_shot: "bootstrap",
  keystone_register: "register",
  exec: "post_start",
};

export function parseStep(reader: Reader, entry: Entry, path: string): BootstrapStep | undefined {
  const kind = parseKind(reader, entry, path);
  if (kind === undefined) return undefined;
  const fields = reader.map(entry.node, path, [...COMMON_KEYS, ...KIND_KEYS[kind]], ["kind", "service", ...KIND_REQUIRED[kind]], entry.line);
  if (fields === undefined) return undefined;
  const f = (key: string): Entry | undefined => fields.get(key);
  const text = (key: string): string => reader.text(f(key), join(path, key)) ?? "";
  const service = reader.string(f("service"), join(path, "service"));
  if (service === undefined) return undefined;
  const base = {
    service,
    enabled: reader.variableNames(f("enabled"), join(path, "enabled")),
    phase: reader.oneOf(f("phase"), join(path, "phase"), PHASES, DEFAULT_PHASE[kind]),
    actions: parseActions(reader, f("actions"), join(path, "actions"), defaultActions(kind, f("mode"))),
    where: { file: reader.file, ...(entry.line === undefined ? {} : { line: entry.line }) },
  };
  switch (kind) {
    case "database":
      return { kind, ...base, database: text("database"), user: text("user"), password: text("password") };
    case "one_shot":
      return {
        kind, ...base, containerName: text("container_name"),
        mode: reader.oneOf(f("mode"), join(path, "mode"), ["bootstrap", "upgrade"] as const, "bootstrap"),
        environment: reader.textMap(f("environment"), join(path, "environment")),
      };
    case "keystone_register":
      return parseKeystoneRegister(reader, fields, path, base);
    case "exec":
      return {
        kind, ...base, container: text("container"),
        command: reader.textList(f("command"), join(path, "command")),
        runOnce: reader.bool(f("run_once"), join(path, "run_once"), true),
        rerunOnChange: reader.bool(f("rerun_on_change"), join(path, "rerun_on_change"), false),
        acceptExitCodes: parseExitCodes(reader, f("accept_exit_codes"), join(path, "accept_exit_codes")),
        groups: reader.names(f("group"), join(path, "group")),
        ...(f("description") === undefined ? {} : { description: text("description") }),
      };
  }
}

function parseKind(reader: Reader, entry: Entry, path: string): Kind | undefined {
  const kindEntry = reader.entries(entry.node, path).get("kind");
  if (kindEntry === undefined) {
    reader.fail(entry.line, join(path, "kind"), "missing required key", `add kind: one of ${KINDS.join(", ")}`);
    return undefined;
  }
  const name = reader.string(kindEntry, join(path, "kind"));
  if (name === undefined || (KINDS as string[]).includes(name)) return name as Kind | undefined;
  reader.fail(kindEntry.line, join(path, "kind"), `unknown step kind "${name}"`, `use one of ${KINDS.join(", ")}; new behaviour needs a new kind in src/`);
  return undefined;
}

/** An upgrade one-shot (KOLLA_UPGRADE) belongs to the upgrade action; everything else to deploy. */
function defaultActions(kind: Kind, mode: Entry | undefined): StepAction[] {
  return kind === "one_shot" && mode?.node?.toJSON() === "upgrade" ? ["upgrade"] : ["deploy"];
}

type StepCommon = Omit<BootstrapStep, "kind"> & { service: string };

function parseKeystoneRegister(reader: Reader, fields: Map<string, Entry>, path: string, base: StepCommon): BootstrapStep | undefined {
  const text = (key: string): string => reader.text(fields.get(key), join(path, key)) ?? "";
  const endpointsPath = join(path, "endpoints");
  const endpoints = fields.has("endpoints") ? reader.map(fields.get("endpoints")!.node, endpointsPath, ["internal", "public"], ["internal", "public"], fields.get("endpoints")!.line) : undefined;
  const userPath = join(path, "user");
  const user = fields.has("user") ? reader.map(fields.get("user")!.node, userPath, ["name", "password"], ["name", "password"], fields.get("user")!.line) : undefined;
  if (endpoints === undefined) return undefined;
  const userName = user && reader.string(user.get("name"), join(userPath, "name"));
  const userPassword = user && reader.string(user.get("password"), join(userPath, "password"));
  return {
    kind: "keystone_register",
    ...base,
    serviceName: text("name"),
    serviceType: text("type"),
    description: text("description"),
    endpoints: {
      internal: reader.string(endpoints.get("internal"), join(endpointsPath, "internal")) ?? "",
      public: reader.string(endpoints.get("public"), join(endpointsPath, "public")) ?? "",
    },
    ...(userName !== undefined && userPassword !== undefined ? { user: { name: userName, password: userPassword } } : {}),
    project: text("project"),
    roles: fields.has("roles") ? reader.textList(fields.get("roles"), join(path, "roles")) : ["admin"],
    region: text("region"),
  };
}

function parseActions(reader: Reader, entry: Entry | undefined, path: string, fallback: StepAction[]): StepAction[] {
  if (entry === undefined) return fallback;
  const allowed: readonly StepAction[] = ["deploy", "upgrade"];
  return reader.names(entry, path).filter((action): action is StepAction => {
    if ((allowed as readonly string[]).includes(action)) return true;
    reader.fail(entry.line, path, `unknown action "${action}"`, `use ${allowed.join(" or ")}`);
    return false;
  });
}

function parseExitCodes(reader: Reader, entry: Entry | undefined, path: string): number[] {
  if (entry === undefined) return [0];
  return reader.list(entry, path).flatMap((item, i) => {
    const code = item.node?.toJSON() as unknown;
    if (Number.isInteger(code) && (code as number) >= 0 && (code as number) < 256) return [code as number];
    reader.fail(item.line, `${path}[${i}]`, "expected an exit code (0-255)", "list the exit codes that mean success, e.g. [0, 2]");
    return [];
  });
}
