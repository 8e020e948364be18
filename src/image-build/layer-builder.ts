/**
 * Builds one layer on this machine (needs root): debootstrap for a bootstrap image, otherwise an
 * overlay over the parent's layers where users are created, packages installed, files copied and
 * commands run in a chroot. The upper dir then becomes the layer tar. Mounts are always undone.
 */
import { chownSync, chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DeployError } from "../errors.js";
import type { CommandResult } from "../exec/types.js";
import { APT_ENV, aptErrorLines, missingPackages } from "./apt.js";
import type { BuildCache, LayerPaths } from "./cache.js";
import type { PreparedFile } from "./files.js";
import { writeLayer } from "./layer-writer.js";
import { chrootArgv, debootstrapArgv, mountArgvs, mountPoints, type BuildRoot } from "./mounts.js";
import type { LocalRunner, SharedApt } from "./shared-apt.js";
import type { ImageDefinition, LayerInfo } from "./types.js";
import { createUserArgvs, kollaUser, resolveOwner } from "./users.js";

export type { LocalRunner } from "./shared-apt.js";

export interface LayerBuildContext {
  readonly cache: BuildCache;
  readonly run: LocalRunner;
  /** Reports a step of the image being built, for live progress. */
  readonly step: (what: string) => void;
  /** apt's lists and archives, shared by the roots being built. */
  readonly apt: SharedApt;
}

function tail(text: string, lines = 8): string {
  return text.trim().split("\n").slice(-lines).join(" | ");
}

function buildError(definition: ImageDefinition, key: string, message: string, hint: string): DeployError {
  return new DeployError("E_BUILD_STEP", `image ${definition.name}: ${message}`, hint, { where: { file: definition.file, key } });
}

async function finish(ctx: LayerBuildContext, key: string, staged: LayerPaths): Promise<LayerInfo> {
  const written = await writeLayer(staged.root, staged.tarball);
  return ctx.cache.commit(key, staged, { key, ...written, created: new Date().toISOString().replace(/\.\d+Z$/, "Z") });
}

/** The root layer: debootstrap, then the leftovers that do not belong in an image removed. */
export async function buildBootstrapLayer(definition: ImageDefinition, key: string, ctx: LayerBuildContext): Promise<LayerInfo> {
  const spec = definition.bootstrap!;
  const staged = ctx.cache.stage(key);
  ctx.step(`debootstrap ${spec.variant} ${spec.suite} from ${spec.mirror}`);
  const result = await ctx.run(debootstrapArgv(spec, staged.root, ctx.cache.debootstrapCache));
  if (result.code !== 0) {
    throw buildError(definition, "bootstrap", `debootstrap failed (exit ${result.code}): ${tail(result.stdout + result.stderr, 3)}`, "check the mirror and suite; the full output is in the run log");
  }
  const root = staged.root;
  for (const dir of ["var/cache/apt", "var/lib/apt/lists"]) {
    rmSync(join(root, dir), { recursive: true, force: true });
    mkdirSync(join(root, dir, dir.endsWith("lists") ? "partial" : "archives/partial"), { recursive: true });
  }
  // The runtime provides both; the builder's own values must not leak into the image.
  writeFileSync(join(root, "etc/resolv.conf"), "");
  writeFileSync(join(root, "etc/hostname"), "");
  return finish(ctx, key, staged);
}

/** The image's own layer on top of `lowerRoots` (topmost first). */
export async function buildOwnLayer(definition: ImageDefinition, key: string, lowerRoots: readonly string[], files: readonly PreparedFile[], ctx: LayerBuildContext): Promise<LayerInfo> {
  const staged = ctx.cache.stage(key);
  const root: BuildRoot = {
    lower: lowerRoots,
    upper: staged.root,
    work: join(staged.dir, "work"),
    merged: join(staged.dir, "merged"),
    aptLists: ctx.cache.aptLists,
    aptCache: ctx.cache.aptCache,
    resolvConf: existsSync("/etc/resolv.conf") ? "/etc/resolv.conf" : undefined,
  };
  mkdirSync(root.work);
  mkdirSync(root.merged);
  await mountAll(root, ctx);
  try {
    await createUsers(definition, root.merged, ctx);
    await installPackages(definition, root.merged, ctx);
    copyFiles(definition, root.merged, files, ctx);
    await runCommands(definition, root.merged, ctx);
  } finally {
    await unmountAll(root, ctx);
  }
  rmSync(root.work, { recursive: true, force: true });
  rmSync(root.merged, { recursive: true, force: true });
  return finish(ctx, key, staged);
}

async function mountAll(root: BuildRoot, ctx: LayerBuildContext): Promise<void> {
  for (const argv of mountArgvs(root)) {
    const result = await ctx.run(argv);
    if (result.code !== 0) {
      await unmountAll(root, ctx);
      throw new DeployError("E_BUILD_MOUNT", `${argv.slice(0, 4).join(" ")} failed: ${tail(result.stderr, 2)}`, "the builder needs root and overlayfs; see docs/build.md");
    }
  }
}

/** Unmounts whatever is mounted, innermost first; a busy mount is detached lazily. */
export async function unmountAll(root: Pick<BuildRoot, "merged" | "resolvConf">, ctx: Pick<LayerBuildContext, "run">): Promise<void> {
  const mounted = readFileSync("/proc/self/mounts", "utf8");
  for (const point of mountPoints(root as BuildRoot)) {
    if (!mounted.includes(` ${point} `)) continue;
    const result = await ctx.run(["umount", point]);
    if (result.code !== 0) await ctx.run(["umount", "-l", point]);
  }
}

async function inChroot(merged: string, argv: readonly string[], ctx: LayerBuildContext): Promise<CommandResult> {
  return ctx.run(chrootArgv(merged, APT_ENV, argv));
}

async function createUsers(definition: ImageDefinition, merged: string, ctx: LayerBuildContext): Promise<void> {
  const passwd = readFileSync(join(merged, "etc/passwd"), "utf8");
  const missing = definition.users.filter((name) => !passwd.split("\n").some((line) => line.startsWith(`${name}:`)));
  if (missing.length === 0) return;
  ctx.step(`users ${missing.join(" ")}`);
  // kolla first: the others join its group.
  for (const name of [...missing].sort((a, b) => Number(b === "kolla") - Number(a === "kolla"))) {
    for (const argv of createUserArgvs(kollaUser(name)!)) {
      const result = await inChroot(merged, argv, ctx);
      if (result.code !== 0) throw buildError(definition, "users", `${argv[0]} ${name} failed: ${tail(result.stderr, 2)}`, "is the uid already taken in the parent image?");
    }
  }
}

async function installPackages(definition: ImageDefinition, merged: string, ctx: LayerBuildContext): Promise<void> {
  if (definition.packages.length === 0) return;
  const failed = await ctx.apt.fetch(merged, definition.packages, ctx.step);
  if (failed?.step === "update") {
    const output = failed.result.stdout + failed.result.stderr;
    throw buildError(definition, "packages", `apt-get update failed: ${aptErrorLines(output).join(" ") || tail(output, 3)}`, "check that the mirror is reachable");
  }
  if (failed === undefined) ctx.step(`apt-get install ${definition.packages.join(" ")}`);
  const result = failed?.result ?? (await ctx.apt.install(merged, definition.packages));
  if (result.code === 0) return;
  const output = result.stdout + result.stderr;
  const missing = missingPackages(output);
  if (missing.length > 0) {
    throw buildError(definition, "packages", `package ${missing.join(", ")} cannot be installed (${aptErrorLines(output, 1).join("")})`, "check the name with apt-cache policy <name> on a Debian machine of the same suite");
  }
  throw buildError(definition, "packages", `apt-get install failed (exit ${result.code}): ${aptErrorLines(output).join(" ") || tail(output, 3)}`, "the full apt output is in the run log");
}

function copyFiles(definition: ImageDefinition, merged: string, files: readonly PreparedFile[], ctx: LayerBuildContext): void {
  if (files.length === 0) return;
  ctx.step(`copy ${files.length} file(s)`);
  const passwd = readFileSync(join(merged, "etc/passwd"), "utf8");
  const group = readFileSync(join(merged, "etc/group"), "utf8");
  files.forEach(({ copy, content }, index) => {
    const ids = resolveOwner(copy.owner, passwd, group);
    if (typeof ids === "string") throw buildError(definition, `files[${index}].owner`, ids, "create the user first (users:) or fix owner");
    const target = join(merged, copy.dest);
    mkdirSync(dirname(target), { recursive: true });
    rmSync(target, { force: true });
    writeFileSync(target, content);
    chownSync(target, ids.uid, ids.gid);
    chmodSync(target, copy.mode); // after chown, which clears setuid bits
  });
}

async function runCommands(definition: ImageDefinition, merged: string, ctx: LayerBuildContext): Promise<void> {
  for (const [index, argv] of definition.run.entries()) {
    ctx.step(`run ${argv.join(" ").slice(0, 60)}`);
    const result = await inChroot(merged, argv, ctx);
    if (result.code !== 0) {
      throw buildError(definition, `run[${index}]`, `command exited ${result.code}: ${tail(result.stderr || result.stdout, 3)}`, "run it by hand in a chroot of the parent image to see why");
    }
  }
}
