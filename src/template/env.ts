/**
 * The private handlebars environment (handlebars enters the code base only in src/template/).
 * noEscape because we render config files, not HTML; strict so an undefined variable is an error;
 * knownHelpersOnly so a misspelt helper fails when the template is compiled, not silently later.
 */
import Handlebars from "handlebars";
import { HELPERS, type HelperSpec } from "./helpers.js";
import { openCompileCache, sourceHash, type CompileCache } from "./compile-cache.js";
import type { TemplateContext } from "./types.js";

/** Key under handlebars' private `data` where helpers find their TemplateContext. */
const CONTEXT_KEY = "kollaDeployContext";

/** Source location handlebars passes to helpers as `options.loc` (1-based line, 0-based column). */
export interface HandlebarsLoc {
  start: { line: number; column: number };
}

/** A helper failed; carries where in the template it was called so errors can name template:line. */
export class HelperFailure extends Error {
  constructor(
    readonly helper: string,
    readonly loc: HandlebarsLoc | undefined,
    readonly reason: unknown,
  ) {
    super(reason instanceof Error ? reason.message : String(reason));
  }
}

interface HelperOptionsLike {
  data?: Record<string, unknown>;
  loc?: HandlebarsLoc;
}

function checkArguments(name: string, spec: HelperSpec, args: readonly unknown[]): void {
  if (args.length < spec.minArgs || args.length > spec.maxArgs) {
    const expected = spec.maxArgs === Infinity ? `at least ${spec.minArgs}` : spec.minArgs === spec.maxArgs ? `${spec.minArgs}` : `${spec.minArgs}-${spec.maxArgs}`;
    throw new Error(`${name} takes ${expected} argument(s), got ${args.length}`);
  }
  const missing = spec.acceptsUndefined ? -1 : args.indexOf(undefined);
  if (missing >= 0) {
    throw new Error(`argument ${missing + 1} of ${name} is undefined (an undefined variable? wrap it in (default x ...))`);
  }
}

/** Adapts a pure HelperSpec to handlebars' calling convention (options hash last, context in data). */
function adaptHelper(name: string, spec: HelperSpec): Handlebars.HelperDelegate {
  return (...params: unknown[]) => {
    const options = params.pop() as HelperOptionsLike;
    try {
      const ctx = options.data?.[CONTEXT_KEY] as TemplateContext | undefined;
      if (ctx === undefined) throw new Error(`${name} was called without a template context`);
      checkArguments(name, spec, params);
      return spec.run(params, ctx);
    } catch (error) {
      throw new HelperFailure(name, options.loc, error);
    }
  };
}

function createEnvironment(): typeof Handlebars {
  const env = Handlebars.create();
  for (const [name, spec] of Object.entries(HELPERS)) env.registerHelper(name, adaptHelper(name, spec));
  return env;
}

const env = createEnvironment();

const COMPILE_OPTIONS: CompileOptions = {
  noEscape: true,
  strict: true,
  knownHelpersOnly: true,
  knownHelpers: Object.fromEntries(Object.keys(HELPERS).map((name) => [name, true])),
};

/**
 * Our variables may come from layered objects or a lazy Proxy whose properties are not "own";
 * data is trusted, so prototype *properties* are allowed. Prototype *methods* stay denied
 * (and denied explicitly, so handlebars does not log a warning for each).
 */
const RUNTIME_OPTIONS = { allowProtoPropertiesByDefault: true, allowProtoMethodsByDefault: false };

type CompiledTemplate = Handlebars.TemplateDelegate;
const compiled = new Map<string, CompiledTemplate>();
let diskCache: CompileCache | undefined;

/**
 * Keeps compiled templates in `dir` across runs (compile-cache.ts); the CLI turns this on, library
 * users and tests compile in memory only. Returns a function that writes what this process added.
 */
export function useCompileCache(dir: string): () => void {
  diskCache = openCompileCache(dir, JSON.stringify({ handlebars: Handlebars.VERSION, options: COMPILE_OPTIONS }));
  const cache = diskCache;
  return () => cache.save();
}

/** A precompiled spec is handlebars' own output (an object literal): evaluate it, then bind it to our environment. */
function fromSpec(spec: string): CompiledTemplate {
  const templateSpec = new Function(`return (${spec});`)() as TemplateSpecification;
  return env.template(templateSpec);
}

/** Compiles once per distinct source (from the disk cache when on; else handlebars defers the compile to the first call). */
function compiledFor(source: string): CompiledTemplate {
  let template = compiled.get(source);
  if (template === undefined) {
    template = diskCache === undefined ? env.compile(source, COMPILE_OPTIONS) : cachedCompile(diskCache, source);
    compiled.set(source, template);
  }
  return template;
}

function cachedCompile(cache: CompileCache, source: string): CompiledTemplate {
  const hash = sourceHash(source);
  const known = cache.get(hash);
  if (known !== undefined) {
    try {
      return fromSpec(known);
    } catch {
      // a damaged entry is compiled anew below
    }
  }
  const spec = env.precompile(source, COMPILE_OPTIONS) as string;
  cache.set(hash, spec);
  return fromSpec(spec);
}

/** How many distinct template sources have been compiled (the cache size); for tests and stats. */
export function compiledTemplateCount(): number {
  return compiled.size;
}

/**
 * Shields a lazy vars object from reads it should never see: handlebars reads helper arguments
 * without checking they exist (so `default` can work), and builds its strict-mode message as
 * `... not defined in ' + obj`. Missing names answer undefined after a `has` check, and string
 * conversion answers here, so the vars object only ever resolves names that exist.
 */
function guardRoot(vars: object): object {
  return new Proxy(vars, {
    get(target, key) {
      if (key === Symbol.toPrimitive) return () => "[template variables]";
      return Reflect.has(target, key) ? Reflect.get(target, key) : undefined;
    },
  });
}

/** Runs a template; raw handlebars/helper errors propagate (errors.ts turns them into DeployErrors). */
export function runTemplate(source: string, ctx: TemplateContext): string {
  return compiledFor(source)(guardRoot(ctx.vars), { ...RUNTIME_OPTIONS, data: { [CONTEXT_KEY]: ctx } });
}

/** Parses without rendering, to report syntax errors early (e.g. while validating roles). */
export function parseTemplate(source: string): hbs.AST.Program {
  return env.parse(source);
}

/** Compiles fully without running, so unknown helpers and block mismatches surface as well. */
export function precompileTemplate(source: string): void {
  env.precompile(source, COMPILE_OPTIONS);
}

/** True when a value is one of handlebars' own errors (these carry lineNumber/column when known). */
export function isHandlebarsError(error: unknown): error is Error & { lineNumber?: number; column?: number } {
  return error instanceof env.Exception;
}

export const HELPER_NAMES: readonly string[] = Object.keys(HELPERS);
