/** Reads one role directory: role.yml, the template listing and defaults.yml; checks references inside it. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join as joinPath } from "node:path";
import { isMap } from "../yaml/index.js";
import { DeployError, type Diagnostics } from "../errors.js";
import type { BootstrapStep, HaproxyFrontend, Role, ServiceDef } from "./types.js";
import { join, readYaml, type Reader } from "./reader.js";
import { parseService } from "./parse-service.js";
import { parseFrontend, parseStep } from "./parse-steps.js";

const ROLE_KEYS = ["project", "tags", "services", "haproxy", "bootstrap"] as const;
export const TEMPLATE_SUFFIX = ".hbs";

/** `display` is how paths appear in errors, e.g. `roles`; `dir` is the real roles directory. */
export function parseRoleDir(rolesDir: string, display: string, name: string, diags: Diagnostics): Role | undefined {
  const dir = joinPath(rolesDir, name);
  const file = `${display}/${name}/role.yml`;
  const path = joinPath(dir, "role.yml");
  if (!existsSync(path)) {
    diags.add(new DeployError("E_ROLE_MISSING", "listed in site.yml but role.yml is missing", `create ${file} or remove ${name} from site.yml`, { where: { file } }));
    return undefined;
  }
  const parsed = readYaml(file, readFileSync(path, "utf8"), diags);
  if (parsed === undefined) return undefined;
  const { root, reader } = parsed;
  const fields = reader.map(root, "", ROLE_KEYS, ["services"], 1);
  if (fields === undefined) return undefined;
  const services = [...reader.entries(fields.get("services")?.node ?? null, "services")]
    .flatMap(([key, entry]) => parseService(reader, key, entry, join("services", key)) ?? []);
  const haproxy = fields.has("haproxy")
    ? [...reader.entries(fields.get("haproxy")!.node, "haproxy")].flatMap(([key, entry]) => parseFrontend(reader, key, entry, join("haproxy", key)) ?? [])
    : [];
  const bootstrap = reader.list(fields.get("bootstrap"), "bootstrap").flatMap((entry, i) => parseStep(reader, entry, `bootstrap[${i}]`) ?? []);
  const templates = listTemplates(dir);
  const defaultsPath = joinPath(dir, "defaults.yml");
  const role: Role = {
    name,
    project: reader.string(fields.get("project"), "project") ?? name,
    tags: reader.textList(fields.get("tags"), "tags"),
    services,
    haproxy,
    bootstrap,
    dir,
    ...(existsSync(defaultsPath) ? { defaultsFile: defaultsPath } : {}),
    templates,
  };
  checkReferences(reader, role);
  if (role.defaultsFile !== undefined) checkDefaults(`${display}/${name}/defaults.yml`, role.defaultsFile, diags);
  return role;
}

function listTemplates(dir: string): string[] {
  const templatesDir = joinPath(dir, "templates");
  if (!existsSync(templatesDir)) return [];
  return readdirSync(templatesDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(TEMPLATE_SUFFIX))
    .map((entry) => joinPath(entry.parentPath, entry.name).slice(templatesDir.length + 1))
    .sort();
}

/** Every template, service and step reference inside the role resolves. */
function checkReferences(reader: Reader, role: Role): void {
  const known = new Set(role.templates);
  const needTemplate = (name: string, line: number | undefined, path: string): void => {
    if (!name.endsWith(TEMPLATE_SUFFIX)) {
      reader.fail(line, path, `template "${name}" must end in ${TEMPLATE_SUFFIX}`, "templates are handlebars files");
    } else if (!known.has(name)) {
      reader.fail(line, path, `template "${name}" not found in ${role.name}/templates/`, `create roles/${role.name}/templates/${name}`, "E_ROLE_TEMPLATE");
    }
  };
  for (const service of role.services) {
    const base = join("services", service.key);
    needTemplate(service.configJson, service.where.line, join(base, "config_json"));
    service.configFiles.forEach((cf, i) => needTemplate(cf.template, cf.where.line, `${base}.config_files[${i}].template`));
    checkUniqueDests(reader, service, base);
  }
  const keys = new Set(role.services.map((s) => s.key));
  const needService = (key: string, line: number | undefined, path: string): void => {
    if (!keys.has(key)) reader.fail(line, path, `unknown service "${key}"`, `use one of this role's services: ${[...keys].join(", ")}`);
  };
  role.haproxy.forEach((fe: HaproxyFrontend) => needService(fe.service, fe.where.line, join(join("haproxy", fe.name), "service")));
  role.bootstrap.forEach((step: BootstrapStep, i) => needService(step.service, step.where.line, `bootstrap[${i}].service`));
}

function checkUniqueDests(reader: Reader, service: ServiceDef, base: string): void {
  const seen = new Set<string>(["config.json"]);
  service.configFiles.forEach((cf, i) => {
    if (seen.has(cf.dest)) {
      reader.fail(cf.where.line, `${base}.config_files[${i}].dest`, `"${cf.dest}" is written twice`, "each file in a service's config directory comes from one entry");
    }
    seen.add(cf.dest);
  });
}

/** defaults.yml is a mapping of variables; enable_* switches belong to etc/defaults/all.yml. */
function checkDefaults(file: string, path: string, diags: Diagnostics): void {
  const parsed = readYaml(file, readFileSync(path, "utf8"), diags);
  if (parsed === undefined || parsed.root === null) return;
  const { root, reader } = parsed;
  if (!isMap(root)) {
    reader.fail(reader.lineOf(root), "", "expected a mapping of variables", "write name: value lines");
    return;
  }
  for (const [key, entry] of reader.entries(root, "")) {
    if (key.startsWith("enable_")) {
      reader.fail(entry.line, key, "role defaults must not define enable_* switches", "enable_* flags live in etc/defaults/all.yml and globals.yml");
    }
  }
}
