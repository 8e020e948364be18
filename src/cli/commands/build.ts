/**
 * `kolla-deploy build [IMAGE...]`: builds kolla-compatible images from etc/images (Debian packages
 * only) and optionally pushes them. Progress per image and step on stderr; one line per image on
 * stdout (or --json).
 */
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Option, type Command } from "commander";
import { parseCount } from "../common.js";
import { terminalProgress } from "../progress.js";
import { buildImages, type BuiltImage } from "../../image-build/builder.js";
import { defaultCacheDir } from "../../image-build/cache.js";
import type { BuildVars } from "../../image-build/types.js";
import { DeployError } from "../../errors.js";
import { LocalTransport } from "../../exec/index.js";
import { openRunLog, type RunLog } from "../../log.js";

const IMAGES_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "etc", "images");

interface BuildFlags {
  base: string;
  baseRelease: string;
  tag: string;
  registry?: string;
  namespace: string;
  push: boolean;
  imagesDir: string;
  cacheDir: string;
  mirror: string;
  securityMirror: string;
  json: boolean;
  threads: number;
}

export function register(program: Command): void {
  program
    .command("build")
    .description("build kolla-compatible images from Debian packages (etc/images) and optionally push them")
    .argument("[images...]", "images to build, with their parents (default: all)")
    .addOption(new Option("--base <distro>", "base distribution").choices(["debian"]).default("debian"))
    .option("--base-release <suite>", "Debian suite", "bookworm")
    .option("--tag <tag>", "image tag (the roles' openstack_tag default)", "master-debian-bookworm")
    .option("--registry <host:port>", "registry to push to (plain HTTP; loopback or test bed only)")
    .option("--namespace <ns>", "repository namespace (the roles' docker_namespace default)", "openstack.kolla")
    .option("--push", "push the images to --registry", false)
    .option("--images-dir <dir>", "image definitions", IMAGES_DIR)
    .option("--cache-dir <dir>", "layer and apt cache ($KOLLA_BUILD_CACHE)", defaultCacheDir())
    .option("--mirror <url>", "Debian mirror", "http://deb.debian.org/debian")
    .option("--security-mirror <url>", "Debian security mirror", "http://deb.debian.org/debian-security")
    .option("--json", "machine-readable JSON output", false)
    .option("--threads <n>", "images built at once, each after its parent (default: the core count)", parseCount, Math.max(1, availableParallelism()))
    .action(async (images: string[], flags: BuildFlags) => {
      await runBuild(images, flags);
    });
}

function tagIsValid(tag: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag);
}

async function runBuild(images: string[], flags: BuildFlags): Promise<void> {
  if (!tagIsValid(flags.tag)) throw new DeployError("E_USAGE", `invalid tag "${flags.tag}"`, "letters, digits, _ . - (at most 128)");
  if (!/^[a-z0-9]+([._/-][a-z0-9]+)*$/.test(flags.namespace)) throw new DeployError("E_USAGE", `invalid namespace "${flags.namespace}"`, "lower-case letters, digits and . _ - /");
  const vars: BuildVars = {
    base_distro: flags.base,
    base_distro_release: flags.baseRelease,
    debian_mirror: flags.mirror,
    debian_security_mirror: flags.securityMirror,
    tag: flags.tag,
    namespace: flags.namespace,
  };
  const { log, path } = openRunLog("build");
  const progress = terminalProgress(log, flags.json);
  const transport = new LocalTransport("localhost", { become: false, becomeUser: "root", maxProcesses: flags.threads, commandTimeoutMs: undefined });
  const started = Date.now();
  try {
    const built = await buildImages({
      imagesDir: flags.imagesDir,
      names: images,
      vars,
      cacheDir: flags.cacheDir,
      namespace: flags.namespace,
      tag: flags.tag,
      registry: flags.registry,
      push: flags.push,
      threads: flags.threads,
      run: loggedRunner(transport, log),
      progress: { step: (image, what) => progress.step(image, what), done: (image, what, ms) => progress.done(image, what, ms), failed: (image, what, message) => progress.failed(image, what, message) },
    });
    process.stdout.write(flags.json ? `${JSON.stringify({ images: built.map(summary), log: path }, null, 2)}\n` : built.map(line).join(""));
    if (!flags.json) process.stderr.write(`built ${built.length} image(s) in ${((Date.now() - started) / 1000).toFixed(1)}s; run log: ${path}\n`);
  } catch (error) {
    log.error({ err: error }, "build failed");
    if (!flags.json) process.stderr.write(`run log: ${path}\n`);
    throw error;
  }
}

function loggedRunner(transport: LocalTransport, log: RunLog) {
  return async (argv: readonly string[]) => {
    const result = await transport.run({ argv });
    const entry = { argv: argv.slice(0, 12), code: result.code };
    if (result.code === 0) log.debug(entry, "command");
    else log.warn({ ...entry, stdout: result.stdout.slice(-20_000), stderr: result.stderr.slice(-20_000) }, "command failed");
    return result;
  };
}

function summary(image: BuiltImage): Record<string, unknown> {
  return { name: image.name, reference: image.reference, cached: image.cached, pushed: image.pushed, seconds: image.seconds, layers: image.layers.map((l) => ({ digest: l.digest, size: l.size })) };
}

function line(image: BuiltImage): string {
  const size = image.layers.reduce((sum, l) => sum + l.size, 0) / 1e6;
  return `${image.reference}\t${image.cached ? "cached" : "built"}\t${image.pushed}\t${size.toFixed(1)} MB\n`;
}
