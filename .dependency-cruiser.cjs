/**
 * The import rules of docs/architecture.md ("Who may import whom"), as dependency-cruiser checks them:
 * `npm run depcheck` (bin/test-all runs it before the unit tests and fails on any violation).
 * Keep this file and that section one to one: a change here is a change of the architecture.
 *
 * Every import counts, `import type` included: the swc parser (TypeScript 7 has no compiler API for
 * dependency-cruiser) does not tell type-only imports apart, and a type is a dependency too.
 */

/** Files directly in src/ (except main.ts) and src/yaml/: neutral modules anyone may import. */
const BASE = ["^src/(?!main\\.ts$)[^/]+\\.ts$", "^src/yaml/"];

/** The folders under src/, bottom up, and the folders each may import besides BASE and itself. */
const LOWER = ["inventory", "merge", "engine", "roles", "template", "config", "exec"];
const OPERATIONS = ["lifecycle", "prechecks", "upgrade", "bootstrap"];
const BELOW_OPERATIONS = ["apply", "plan", "lock", ...LOWER];
const LAYERS = {
  inventory: [],
  merge: [],
  engine: [],
  roles: [],
  exec: [],
  template: ["inventory"],
  config: ["inventory", "template"],
  plan: ["roles", "template", "merge", "config", "inventory", "engine"],
  lock: ["exec"],
  apply: ["plan", "lock", ...LOWER],
  lifecycle: BELOW_OPERATIONS,
  prechecks: BELOW_OPERATIONS,
  upgrade: BELOW_OPERATIONS,
  bootstrap: BELOW_OPERATIONS,
  "image-build": ["exec", "template"],
  // cli/ may import every folder and main.ts anything; since no layer lists cli, nothing below imports it.
};

/** Each third-party library and the one place it enters the code base (docs/dependencies.md). */
const LIBRARIES = {
  commander: "^src/cli/",
  handlebars: "^src/template/",
  ssh2: "^src/exec/",
  pino: "^src/log\\.ts$",
  yaml: "^src/yaml/",
  "p-queue": "^src/limit\\.ts$",
  // jsdiff: unified diffs for --check plans.
  diff: "^src/plan/udiff\\.ts$",
};

const folder = (name) => `^src/${name}/`;

function layerRule([name, allowed]) {
  return {
    name: `layer-${name}`,
    comment: `src/${name}/ may import only ${allowed.length === 0 ? "" : `${allowed.join(", ")}, `}the neutral modules in src/ and itself (docs/architecture.md)`,
    severity: "error",
    from: { path: folder(name) },
    to: { path: "^src/", pathNot: [folder(name), ...allowed.map(folder), ...BASE] },
  };
}

function libraryRule([name, entry]) {
  return {
    name: `lib-${name}`,
    comment: `${name} enters the code base only through ${entry.replace(/^\^|\\|\$$/g, "")}; import what you need from there`,
    severity: "error",
    from: { path: "^src/", pathNot: entry },
    to: { path: `(^|/)node_modules/${name}/` },
  };
}

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "no import cycles: move what both sides need into a module below them",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "base-is-neutral",
      comment: "the modules directly in src/ (and src/yaml/) are neutral: they import only each other",
      severity: "error",
      from: { path: BASE },
      to: { path: "^src/", pathNot: BASE },
    },
    ...Object.entries(LAYERS).map(layerRule),
    {
      name: "operations-apart",
      comment: "lifecycle, prechecks, upgrade and bootstrap never import each other (what they share belongs in apply, plan or below)",
      severity: "error",
      from: { path: `^src/(${OPERATIONS.join("|")})/` },
      to: { path: `^src/(${OPERATIONS.join("|")})/`, pathNot: "^src/$1/" },
    },
    {
      name: "engine-exec-apart",
      comment: "engine builds Commands, exec runs them: neither imports the other (the Command types live in src/command.ts)",
      severity: "error",
      from: { path: "^src/(engine|exec)/" },
      to: { path: "^src/(engine|exec)/", pathNot: "^src/$1/" },
    },
    ...Object.entries(LIBRARIES).map(libraryRule),
    {
      name: "lib-unlisted",
      comment: "a third-party library needs an entry module in .dependency-cruiser.cjs and a line in docs/dependencies.md",
      severity: "error",
      from: { path: "^src/" },
      to: { dependencyTypes: ["npm", "npm-no-pkg", "npm-unknown"], pathNot: `(^|/)node_modules/(${Object.keys(LIBRARIES).join("|")})/` },
    },
    {
      name: "no-dev-dependency",
      comment: "src/ runs in production: it may not import a devDependency",
      severity: "error",
      from: { path: "^src/" },
      to: { dependencyTypes: ["npm-dev"] },
    },
    {
      name: "resolvable",
      comment: "every import resolves to a file (a relative import names the .js of a .ts file)",
      severity: "error",
      from: { path: "^src/" },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    parser: "swc",
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    doNotFollow: { path: "(^|/)node_modules/" },
    // ESM packages (p-queue) are found through package.json "exports".
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "node", "default"] },
  },
};
