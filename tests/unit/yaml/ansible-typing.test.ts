/**
 * Our YAML typing against Ansible's own loader, on the same files: tests/fixtures/yaml-typing/*.yml are
 * read by src/yaml and by ansible-typing.py (Ansible's from_yaml), and every value must have the same
 * Python type and the same str(); every file Ansible refuses (errors/) we must refuse too. The same
 * files are compared in safe_load mode with PyYAML's yaml.safe_load (kolla's merge_yaml). Without
 * ansible-core the suite is skipped, with the reason in its name, unless CI is set: then it fails.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { buildTree, parseYaml, pyKeyIdentity, pyStr, toPlain, type Loader, type PyScalar, type TreeAdapter } from "../../../src/yaml/index.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const FIXTURES = join(HERE, "../../fixtures/yaml-typing");
const SCRIPT = join(HERE, "ansible-typing.py");
const FILES = readdirSync(FIXTURES).filter((f) => f.endsWith(".yml")).sort();
const ERROR_FILES = readdirSync(join(FIXTURES, "errors")).filter((f) => f.endsWith(".yml")).sort().map((f) => `errors/${f}`);

/** A value as ansible-typing.py prints it: Python type name and str() for scalars. */
type Described = { type: "dict"; items: [Described, Described][] } | { type: "list"; items: Described[] } | { type: string; text: string };

/** Debian's ansible-core lives in the system python, which a pyenv `python3` on PATH may not be. */
function findPython(): { python?: string; reason?: string } {
  for (const python of ["/usr/bin/python3", "python3"]) {
    const probe = spawnSync(python, ["-c", "import ansible.parsing.utils.yaml"], { encoding: "utf8" });
    if (probe.status === 0) return { python };
  }
  return { reason: "ansible-core is not installed (no python3 can import ansible; bin/setup installs the Debian package)" };
}

const { python, reason } = findPython();
const required = (process.env.CI ?? "") !== "";
const home = mkdtempSync(join(tmpdir(), "kd-ansible-home-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

type Loaded = { value?: Described; error?: string };

/** One python run for every file: Ansible's import costs about a second. */
function pythonLoads(): Record<string, Record<Loader, Loaded>> {
  const out = spawnSync(python!, [SCRIPT, ...FILES, ...ERROR_FILES], {
    cwd: FIXTURES, encoding: "utf8",
    // Ansible writes nowhere but this throwaway HOME; repeated keys are expected here, not worth a warning.
    env: { ...process.env, HOME: home, ANSIBLE_DUPLICATE_YAML_DICT_KEY: "ignore", ANSIBLE_LOCAL_TEMP: join(home, "tmp") },
  });
  if (out.status !== 0) throw new Error(`ansible-typing.py failed (${out.status}): ${out.stderr}`);
  return JSON.parse(out.stdout) as Record<string, Record<Loader, Loaded>>;
}

function describeScalar(scalar: PyScalar): Described {
  return { type: scalar.type, text: scalar.type === "str" ? scalar.value : pyStr(scalar) };
}

/** Our values described like the Python side: a dict keeps a key's first place and its last value. */
const DESCRIBE: TreeAdapter<Described> = {
  scalar: describeScalar,
  sequence: (items) => ({ type: "list", items }),
  mapping(entries) {
    const byIdentity = new Map<string, [Described, Described]>();
    for (const [key, value] of entries) {
      const old = byIdentity.get(pyKeyIdentity(key));
      byIdentity.set(pyKeyIdentity(key), [old?.[0] ?? describeScalar(key), value]);
    }
    return { type: "dict", items: [...byIdentity.values()] };
  },
};

/** What our readers get for a value Ansible described: numbers for int and float, dates as text, keys as str(). */
function plainOf(d: Described): unknown {
  if (d.type === "dict") return Object.fromEntries((d as { items: [Described, Described][] }).items.map(([k, v]) => [(k as { text: string }).text, plainOf(v)]));
  if (d.type === "list") return (d as { items: Described[] }).items.map(plainOf);
  const { text } = d as { text: string };
  switch (d.type) {
    case "NoneType":
      return null;
    case "bool":
      return text === "True";
    case "int":
      return Number(text);
    case "float":
      return text === "nan" ? NaN : text === "inf" ? Infinity : text === "-inf" ? -Infinity : Number(text);
    default:
      return text;
  }
}

describe.skipIf(python === undefined && !required)(python === undefined ? `YAML typing equals Ansible's (skipped: ${reason})` : "YAML typing equals Ansible's", () => {
  const loads = python === undefined ? {} : pythonLoads();
  const ansible = (file: string): Loaded | undefined => loads[file]?.ansible;

  it("has ansible-core to compare with", () => {
    expect(python, `${reason}; it is required when CI is set`).toBeDefined();
  });

  it.each(FILES)("%s: every value has Ansible's type and str()", (file) => {
    expect(ansible(file)?.error, `Ansible refused ${file}`).toBeUndefined();
    expectSameValues(file, "ansible", ansible(file)?.value);
  });

  it.each(FILES)("%s: the plain values our readers get follow Ansible's", (file) => {
    const parsed = parseYaml(readFileSync(join(FIXTURES, file), "utf8"));
    expect(parsed.problems).toEqual([]);
    expect(toPlain(parsed)).toEqual(plainOf(ansible(file)!.value!));
  });

  it.each(ERROR_FILES)("%s: Ansible refuses it, and so do we", (file) => {
    expect(ansible(file)?.error, `Ansible accepted ${file}`).toBeDefined();
    expect(parseYaml(readFileSync(join(FIXTURES, file), "utf8")).problems.length).toBeGreaterThan(0);
  });

  it.each([...FILES, ...ERROR_FILES])("%s: in safe_load mode, as PyYAML's yaml.safe_load (kolla's merge_yaml)", (file) => {
    const theirs = loads[file]?.safe_load;
    if (theirs?.error !== undefined) {
      expect(parseYaml(readFileSync(join(FIXTURES, file), "utf8"), { loader: "safe_load" }).problems.length, `safe_load refused ${file}`).toBeGreaterThan(0);
    } else {
      expectSameValues(file, "safe_load", theirs?.value);
    }
  });
});

function expectSameValues(file: string, loader: Loader, theirs: Described | undefined): void {
  const parsed = parseYaml(readFileSync(join(FIXTURES, file), "utf8"), { loader });
  expect(parsed.problems).toEqual([]);
  const ours = buildTree(parsed, parsed.doc.contents, DESCRIBE);
  if (theirs?.type === "dict" && ours.type === "dict") {
    // Key by key first, so a failure names the case.
    const ourItems = (ours as { items: [Described, Described][] }).items;
    (theirs as { items: [Described, Described][] }).items.forEach(([key, value], i) => expect(ourItems[i], `key ${JSON.stringify(key)}`).toEqual([key, value]));
  }
  expect(ours).toEqual(theirs);
}
