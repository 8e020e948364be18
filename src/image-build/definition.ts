/**
 * image.yml → ImageDefinition (pure): every field is checked and every problem is reported with
 * `etc/images/<name>/image.yml:line: key: …`. Cross-image checks (parents, users, files) are in
 * catalog.ts, which sees all definitions.
 */
import type { Node } from "../yaml/index.js";
import type { Diagnostics } from "../errors.js";
import type { BootstrapSpec, FileCopy, ImageDefinition } from "./types.js";
import { DefinitionReader } from "./yaml-reader.js";

const TOP_KEYS = ["parent", "bootstrap", "users", "packages", "files", "run", "env", "labels", "user", "workdir", "entrypoint", "cmd"];
const BOOTSTRAP_KEYS = ["suite", "variant", "mirror", "include"];
const FILE_KEYS = ["source", "dest", "mode", "owner", "template"];
/** Debian package names (policy §5.6.1), optionally with =version or /release. */
const PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+([=/][A-Za-z0-9.+~:-]+)?$/;
const OWNER = /^[a-z_][a-z0-9_-]*(:[a-z_][a-z0-9_-]*)?$/;
const MODE = /^0?[0-7]{3,4}$/;

export function parseDefinition(name: string, file: string, dir: string, text: string, diags: Diagnostics): ImageDefinition | undefined {
  const before = diags.errors.length;
  const reader = DefinitionReader.parse(file, text, diags);
  if (reader.root === null && diags.errors.length > before) return undefined;
  const top = reader.mapping(reader.root, "", TOP_KEYS);
  if (top === undefined) return undefined;
  const optional = <T>(key: string, read: (node: Node | null, key: string) => T | undefined): T | undefined =>
    top.has(key) ? read(top.get(key) ?? null, key) : undefined;

  const parent = optional("parent", (n, k) => reader.string(n, k));
  const bootstrap = optional("bootstrap", (n, k) => readBootstrap(reader, n, k));
  if (top.has("parent") === top.has("bootstrap")) {
    reader.fail(reader.root, "parent", "an image needs exactly one of parent: or bootstrap:", "layer the image on another with parent: <name>");
  }
  const definition: ImageDefinition = {
    name, file, dir, parent, bootstrap,
    users: optional("users", (n, k) => reader.strings(n, k)) ?? [],
    packages: optional("packages", (n, k) => readPackages(reader, n, k)) ?? [],
    files: optional("files", (n, k) => readFiles(reader, n, k)) ?? [],
    run: optional("run", (n, k) => readRun(reader, n, k)) ?? [],
    env: optional("env", (n, k) => reader.stringMap(n, k)) ?? {},
    labels: optional("labels", (n, k) => reader.stringMap(n, k)) ?? {},
    user: optional("user", (n, k) => reader.string(n, k)),
    workdir: optional("workdir", (n, k) => absolutePath(reader, n, k)),
    entrypoint: optional("entrypoint", (n, k) => reader.strings(n, k)),
    cmd: optional("cmd", (n, k) => reader.strings(n, k)),
  };
  return diags.errors.length > before ? undefined : definition;
}

function readBootstrap(reader: DefinitionReader, node: Node | null, key: string): BootstrapSpec | undefined {
  const map = reader.mapping(node, key, BOOTSTRAP_KEYS);
  if (map === undefined) return undefined;
  const suite = reader.string(map.get("suite"), `${key}.suite`);
  const mirror = reader.string(map.get("mirror"), `${key}.mirror`);
  const variant = map.has("variant") ? reader.string(map.get("variant"), `${key}.variant`) : "minbase";
  const include = map.has("include") ? readPackages(reader, map.get("include") ?? null, `${key}.include`) : [];
  if (mirror !== undefined && !/^https?:\/\/[^\s]+$/.test(mirror)) {
    reader.fail(map.get("mirror"), `${key}.mirror`, `"${mirror}" is not an http(s) URL`, "e.g. http://deb.debian.org/debian");
  }
  if (suite === undefined || mirror === undefined || variant === undefined || include === undefined) return undefined;
  return { suite, variant, mirror, include };
}

function readPackages(reader: DefinitionReader, node: Node | null, key: string): string[] | undefined {
  const names = reader.strings(node, key);
  if (names === undefined) return undefined;
  const bad = names.filter((n) => !PACKAGE_NAME.test(n));
  for (const name of bad) reader.fail(node, key, `"${name}" is not a Debian package name`, "lower-case letters, digits and + - . only");
  return bad.length === 0 ? names : undefined;
}

function absolutePath(reader: DefinitionReader, node: Node | null | undefined, key: string): string | undefined {
  const value = reader.string(node, key);
  if (value === undefined) return undefined;
  if (value.startsWith("/") && !value.split("/").includes("..")) return value;
  reader.fail(node, key, `"${value}" is not an absolute path inside the image`, "start it with / and do not use ..");
  return undefined;
}

function readFiles(reader: DefinitionReader, node: Node | null, key: string): FileCopy[] | undefined {
  const items = reader.items(node, key);
  if (items === undefined) return undefined;
  const out: FileCopy[] = [];
  let ok = true;
  items.forEach((item, index) => {
    const copy = readFile(reader, item, `${key}[${index}]`);
    if (copy === undefined) ok = false;
    else out.push(copy);
  });
  return ok ? out : undefined;
}

function readFile(reader: DefinitionReader, node: Node | null, key: string): FileCopy | undefined {
  const map = reader.mapping(node, key, FILE_KEYS);
  if (map === undefined) return undefined;
  const source = reader.string(map.get("source"), `${key}.source`);
  if (source !== undefined && (source.startsWith("/") || source.split("/").includes(".."))) {
    reader.fail(map.get("source"), `${key}.source`, `"${source}" must be a path inside the image's directory`, "e.g. files/kolla_start");
  }
  const dest = absolutePath(reader, map.get("dest"), `${key}.dest`);
  const modeText = map.has("mode") ? reader.string(map.get("mode"), `${key}.mode`) : "0644";
  if (modeText !== undefined && !MODE.test(modeText)) {
    reader.fail(map.get("mode"), `${key}.mode`, `"${modeText}" is not an octal mode`, 'quote it: mode: "0755"');
  }
  const owner = map.has("owner") ? reader.string(map.get("owner"), `${key}.owner`) : "root:root";
  if (owner !== undefined && !OWNER.test(owner)) reader.fail(map.get("owner"), `${key}.owner`, `"${owner}" is not user[:group]`, "e.g. root:root");
  const template = map.has("template") ? reader.boolean(map.get("template"), `${key}.template`) : false;
  if (source === undefined || dest === undefined || modeText === undefined || owner === undefined || template === undefined) return undefined;
  if (!MODE.test(modeText) || !OWNER.test(owner)) return undefined;
  return { source, dest, mode: parseInt(modeText, 8), owner, template };
}

function readRun(reader: DefinitionReader, node: Node | null, key: string): string[][] | undefined {
  const items = reader.items(node, key);
  if (items === undefined) return undefined;
  const out: string[][] = [];
  let ok = true;
  items.forEach((item, index) => {
    const argv = reader.strings(item, `${key}[${index}]`);
    if (argv === undefined || argv.length === 0) {
      if (argv !== undefined) reader.fail(item, `${key}[${index}]`, "an empty command", "give the program and its arguments: [sh, -c, '…']");
      ok = false;
    } else out.push(argv);
  });
  return ok ? out : undefined;
}
