/**
 * The import checker (`npm run depcheck`, .dependency-cruiser.cjs) must fail on the violations it
 * exists for. It runs here with the real config on small trees written to a temporary directory,
 * never in src/, so other tests and engineers never see a planted file.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const DEPCRUISE = join(REPO, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");
const CONFIG = join(REPO, ".dependency-cruiser.cjs");
/** Each cruise starts a node process that loads swc: seconds on a busy 2-core machine. */
const CRUISE_TIMEOUT = 60_000;

interface Violation {
  readonly rule: { readonly name: string };
  readonly from: string;
  readonly to: string;
}
interface Cruise {
  readonly summary: { readonly violations: readonly Violation[]; readonly totalCruised: number; readonly totalDependenciesCruised: number };
}

/** A tree every rule accepts: neutral modules, lower layers, a library through its entry module, node builtins. */
const CLEAN: Record<string, string> = {
  "src/errors.ts": "export class DeployError extends Error {}\n",
  "src/command.ts": "export interface Command { readonly argv: readonly string[] }\n",
  "src/log.ts": 'import pino from "pino";\nexport const log = pino();\n',
  "src/inventory/types.ts": "export type Vars = Record<string, unknown>;\n",
  "src/engine/argv.ts": 'import type { Command } from "../command.js";\nimport { DeployError } from "../errors.js";\nexport const run = (): Command => { if (DeployError === undefined) throw new Error(); return { argv: [] }; };\n',
  "src/exec/run.ts": 'import { join } from "node:path";\nimport type { Command } from "../command.js";\nexport const show = (c: Command): string => join(...c.argv);\n',
  "src/plan/desired.ts": 'import { run } from "../engine/argv.js";\nimport type { Vars } from "../inventory/types.js";\nexport const desired = (_v: Vars) => run();\n',
  "src/cli/program.ts": 'import { Command } from "commander";\nimport { desired } from "../plan/desired.js";\nimport { show } from "../exec/run.js";\nexport const p = new Command(show(desired({})));\n',
};

/** One file per rule the checker must enforce, each breaking only that rule. */
const PLANTED: Record<string, string> = {
  "src/engine/upward.ts": 'import { show } from "../exec/run.js";\nexport const x = show;\n',
  "src/plan/a.ts": 'import { b } from "./b.js";\nexport const a = (): number => b() + 1;\n',
  "src/plan/b.ts": 'import { a } from "./a.js";\nexport const b = (): number => (a === undefined ? 0 : 1);\n',
  "src/config/opts.ts": 'import { p } from "../cli/program.js";\nexport const q = p;\n',
  "src/inventory/parse.ts": 'import { parse } from "yaml";\nexport const read = (t: string): unknown => parse(t);\n',
  "src/errors-extra.ts": 'import type { Vars } from "./inventory/types.js";\nexport type V = Vars;\n',
};

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Writes `files` into a new temporary project; returns its directory. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "kd-depcheck-"));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", strict: true }, include: ["src/**/*.ts"] }));
  // The libraries resolve as they do in the repository, so the library rules see real packages.
  symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"), "dir");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module", dependencies: { commander: "*", pino: "*", yaml: "*" } }));
  return dir;
}

/** Runs the checker as `npm run depcheck` does, in `dir`, with the given output type. */
function depcruise(dir: string, outputType: "json" | "err") {
  return spawnSync(process.execPath, [DEPCRUISE, "src", "--config", CONFIG, "--output-type", outputType], { cwd: dir, encoding: "utf8" });
}

function cruise(dir: string): Cruise {
  const out = depcruise(dir, "json");
  if (out.stdout === "") throw new Error(`depcruise printed nothing (status ${out.status}): ${out.stderr}`);
  return JSON.parse(out.stdout) as Cruise;
}

/** `rule: from -> to`, a library by its package name (node_modules may be a link), a cycle by its folder. */
function found(c: Cruise): string[] {
  const line = (v: Violation) => {
    if (v.rule.name === "no-circular") return `no-circular: ${dirname(v.from)}/`;
    return `${v.rule.name}: ${v.from} -> ${v.to.replace(/^.*(node_modules\/[^/]+)\/.*$/, "$1")}`;
  };
  return c.summary.violations.map(line).sort();
}

describe("the import rules", () => {
  it("accept a tree that keeps them, and really parse its TypeScript", () => {
    const c = cruise(project(CLEAN));
    expect(found(c)).toEqual([]);
    expect(c.summary.totalCruised).toBeGreaterThanOrEqual(Object.keys(CLEAN).length);
    // Every import statement in CLEAN; a parser that fell back to plain JavaScript would find none.
    expect(c.summary.totalDependenciesCruised).toBe(10);
  }, CRUISE_TIMEOUT);

  it("fail on an upward import, engine -> exec, a cycle, a library outside its entry module and an impure base module", () => {
    const dir = project({ ...CLEAN, ...PLANTED });
    expect(found(cruise(dir))).toEqual([
      "base-is-neutral: src/errors-extra.ts -> src/inventory/types.ts",
      "engine-exec-apart: src/engine/upward.ts -> src/exec/run.ts",
      "layer-config: src/config/opts.ts -> src/cli/program.ts",
      "layer-engine: src/engine/upward.ts -> src/exec/run.ts",
      "lib-yaml: src/inventory/parse.ts -> node_modules/yaml",
      // A cycle is reported once, from whichever of its modules the cruise met first.
      "no-circular: src/plan/",
    ]);

    // What bin/test-all runs fails the build: the err reporter exits non-zero and names each rule.
    const err = depcruise(dir, "err");
    expect(err.status).not.toBe(0);
    expect(err.stdout).toContain("error engine-exec-apart: src/engine/upward.ts → src/exec/run.ts");
  }, CRUISE_TIMEOUT);
});

interface Rule {
  readonly name: string;
  readonly to: { readonly pathNot?: string | readonly string[] };
}

/** folder → the folders it may import besides itself and the neutral modules, from the config's layer rules. */
function configLayers(rules: readonly Rule[]): Map<string, string[]> {
  const layers = new Map<string, string[]>();
  for (const rule of rules.filter((r) => r.name.startsWith("layer-"))) {
    const own = rule.name.slice("layer-".length);
    const folders = [rule.to.pathNot ?? []]
      .flat()
      .map((p) => /^\^src\/([a-z-]+)\/$/.exec(p)?.[1])
      .filter((f): f is string => f !== undefined && f !== own && f !== "yaml"); // yaml/ is neutral
    layers.set(own, folders.sort());
  }
  return layers;
}

/** The same, from the layer table in docs/architecture.md ("everything apply may import" spelled out); cli/ and main.ts have no rule. */
function docLayers(doc: string, apply: readonly string[]): Map<string, string[]> {
  const layers = new Map<string, string[]>();
  for (const [, first, second] of doc.matchAll(/^\| ((?:`[a-z-]+`(?:, )?)+) \| ([^|]+) \|$/gm)) {
    if (/^(every folder|anything)/.test(second!)) continue; // cli/ and main.ts: no layer rule
    const names = [...first!.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]!);
    const allowed = second!.startsWith("nothing") ? [] : second!.replace("and everything apply may import", apply.join(", ")).split(/,\s*/).map((f) => f.trim()).filter((f) => f !== "");
    for (const name of names) layers.set(name, [...new Set(allowed)].sort());
  }
  return layers;
}

describe("docs/architecture.md", () => {
  const rules = (createRequire(import.meta.url)(CONFIG) as { forbidden: Rule[] }).forbidden;
  const doc = readFileSync(join(REPO, "docs/architecture.md"), "utf8");
  const section = doc.slice(doc.indexOf("## Who may import whom"));
  const layerTable = section.slice(section.indexOf("**Layers**"), section.indexOf("**Other rules**"));

  it("names every rule of .dependency-cruiser.cjs, and no other", () => {
    const named = new Set([...section.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]!));
    // The layer rules are named as `layer-<folder>` and checked row by row below.
    for (const rule of rules.filter((r) => !r.name.startsWith("layer-"))) expect(named, rule.name).toContain(rule.name);
    for (const name of named) if (/^(lib|no)-/.test(name)) expect(rules.map((r) => r.name), name).toContain(name);
  });

  it("has the config's layer table, folder by folder", () => {
    const fromConfig = configLayers(rules);
    const fromDoc = docLayers(layerTable, fromConfig.get("apply") ?? []);
    expect(Object.fromEntries(fromDoc)).toEqual(Object.fromEntries(fromConfig));
  });
});
