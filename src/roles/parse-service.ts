/** Reads one entry of a role's `services:` mapping (a container) and its config files. */
import type { ConfigFile, MergeKind, ServiceDef } from "./types.js";
import { join, type Entry, type Reader } from "./reader.js";

const SERVICE_KEYS = [
  "container_name", "group", "enabled", "image", "command", "environment", "volumes", "extra_volumes",
  "dimensions", "healthcheck", "privileged", "pid_mode", "ipc_mode", "cgroupns_mode", "cap_add",
  "security_opt", "tmpfs", "labels", "config_json", "config_files",
] as const;
const SERVICE_REQUIRED = ["container_name", "group", "enabled", "image"] as const;

const CONFIG_FILE_KEYS = ["dest", "template", "merge", "overrides", "extend_lists", "mode", "enabled"] as const;
const MERGE_KINDS: readonly MergeKind[] = ["ini", "yaml", "whole_file", "template"];
const GROUP_NAME = /^[A-Za-z0-9_.-]+$/;
const DEFAULT_CONFIG_MODE = "0660";

export function parseService(reader: Reader, key: string, entry: Entry, path: string): ServiceDef | undefined {
  const fields = reader.map(entry.node, path, SERVICE_KEYS, SERVICE_REQUIRED, entry.line);
  if (fields === undefined) return undefined;
  const f = (name: string): Entry | undefined => fields.get(name);
  const p = (name: string): string => join(path, name);
  const containerName = reader.string(f("container_name"), p("container_name"));
  const image = reader.string(f("image"), p("image"));
  const groups = parseGroups(reader, f("group"), p("group"));
  const service = {
    key,
    containerName: containerName ?? "",
    groups,
    enabled: reader.variableNames(f("enabled"), p("enabled")),
    image: image ?? "",
    ...optional("command", reader.string(f("command"), p("command"))),
    environment: reader.textMap(f("environment"), p("environment")),
    volumes: reader.textList(f("volumes"), p("volumes")),
    ...optional("extraVolumes", reader.variableName(f("extra_volumes"), p("extra_volumes"))),
    ...optional("dimensions", reader.variableName(f("dimensions"), p("dimensions"))),
    ...optional("healthcheck", reader.variableName(f("healthcheck"), p("healthcheck"))),
    privileged: reader.bool(f("privileged"), p("privileged"), false),
    ...optional("pidMode", reader.string(f("pid_mode"), p("pid_mode"))),
    ...optional("ipcMode", reader.string(f("ipc_mode"), p("ipc_mode"))),
    ...optional("cgroupnsMode", reader.string(f("cgroupns_mode"), p("cgroupns_mode"))),
    capAdd: reader.textList(f("cap_add"), p("cap_add")),
    securityOpt: reader.textList(f("security_opt"), p("security_opt")),
    tmpfs: reader.textList(f("tmpfs"), p("tmpfs")),
    labels: reader.textMap(f("labels"), p("labels")),
    // kolla's convention: templates/<service key>.json.j2 renders the container's config.json.
    configJson: reader.string(f("config_json"), p("config_json")) ?? `${key}.json.hbs`,
    configFiles: reader.list(f("config_files"), p("config_files"))
      .flatMap((item, i) => parseConfigFile(reader, item, `${p("config_files")}[${i}]`) ?? []),
    where: { file: reader.file, ...optional("line", entry.line) },
  };
  // Kept even when a field is invalid (the error is already recorded), so cross-checks still see it.
  return service;
}

function parseGroups(reader: Reader, entry: Entry | undefined, path: string): string[] {
  const names = reader.names(entry, path);
  for (const name of names) {
    if (!GROUP_NAME.test(name)) reader.fail(entry?.line, path, `"${name}" is not an inventory group name`, "groups are plain names such as nova-api");
  }
  return names.filter((name) => GROUP_NAME.test(name));
}

function parseConfigFile(reader: Reader, entry: Entry, path: string): ConfigFile | undefined {
  const fields = reader.map(entry.node, path, CONFIG_FILE_KEYS, ["dest", "template", "merge"], entry.line);
  if (fields === undefined) return undefined;
  const dest = reader.string(fields.get("dest"), join(path, "dest"));
  const template = reader.string(fields.get("template"), join(path, "template"));
  const merge = reader.oneOf(fields.get("merge"), join(path, "merge"), MERGE_KINDS, "template");
  const overrides = reader.textList(fields.get("overrides"), join(path, "overrides"));
  const extendLists = reader.bool(fields.get("extend_lists"), join(path, "extend_lists"), false);
  if (merge === "template" && overrides.length > 0) {
    reader.fail(fields.get("overrides")?.line, join(path, "overrides"), "merge: template takes no overrides", "use merge: whole_file, ini or yaml to allow operator overrides");
  }
  if (extendLists && merge !== "yaml") {
    reader.fail(fields.get("extend_lists")?.line, join(path, "extend_lists"), "extend_lists applies to merge: yaml only", "remove it or use merge: yaml");
  }
  const mode = parseMode(reader, fields.get("mode"), join(path, "mode"));
  const enabled = reader.variableNames(fields.get("enabled"), join(path, "enabled"));
  if (dest !== undefined && (dest.startsWith("/") || dest.split("/").includes(".."))) {
    reader.fail(fields.get("dest")?.line, join(path, "dest"), "dest must stay inside the service's config directory", "write a relative name such as nova.conf");
    return undefined;
  }
  if (dest === undefined || template === undefined) return undefined;
  return {
    dest,
    template,
    merge,
    overrides,
    extendLists,
    mode,
    enabled,
    where: reader.at(entry.node),
  };
}

function parseMode(reader: Reader, entry: Entry | undefined, path: string): string {
  const mode = reader.string(entry, path);
  if (mode === undefined) return DEFAULT_CONFIG_MODE;
  if (/^0[0-7]{3,4}$/.test(mode)) return mode;
  reader.fail(entry?.line, path, `expected an octal mode such as "0660", got "${mode}"`, "quote it so YAML keeps the leading zero");
  return DEFAULT_CONFIG_MODE;
}

/** `{name: value}` when value is defined, `{}` otherwise: keeps optional fields truly absent. */
export function optional<K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [name]: value }) as { [P in K]?: V };
}
