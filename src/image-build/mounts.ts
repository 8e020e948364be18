/**
 * Pure: the argv lists that set up and tear down a build root: the overlay (lower = the parent's
 * layers, upper = the new layer), /proc, a private /dev, /tmp, apt's state from the cache, and the
 * machine's resolv.conf (so apt reaches the mirror) — none of which end up in the layer.
 */
export interface BuildRoot {
  /** Layer directories, topmost first (overlayfs lowerdir order). */
  readonly lower: readonly string[];
  readonly upper: string;
  readonly work: string;
  readonly merged: string;
  readonly aptLists: string;
  readonly aptCache: string;
  /** The host file bind-mounted at /etc/resolv.conf, when the image has that file. */
  readonly resolvConf: string | undefined;
}

/** Character devices a package install may open, with their major/minor numbers. */
export const DEVICES: readonly { name: string; major: number; minor: number }[] = [
  { name: "null", major: 1, minor: 3 },
  { name: "zero", major: 1, minor: 5 },
  { name: "full", major: 1, minor: 7 },
  { name: "random", major: 1, minor: 8 },
  { name: "urandom", major: 1, minor: 9 },
  { name: "tty", major: 5, minor: 0 },
];

/**
 * overlayfs options: redirect_dir/metacopy/index off so the upper dir holds only plain files,
 * whiteouts and opaque directories — exactly what the layer format can express.
 */
export function overlayOptions(root: BuildRoot): string {
  return [`lowerdir=${root.lower.join(":")}`, `upperdir=${root.upper}`, `workdir=${root.work}`, "redirect_dir=off", "metacopy=off", "index=off", "xino=off"].join(",");
}

/** Mount commands in order; unmount them in reverse with unmountArgvs. */
export function mountArgvs(root: BuildRoot): string[][] {
  const m = root.merged;
  const argvs: string[][] = [
    ["mount", "-t", "overlay", "overlay", "-o", overlayOptions(root), m],
    ["mount", "-t", "proc", "proc", `${m}/proc`],
    ["mount", "-t", "tmpfs", "-o", "mode=0755,nosuid", "tmpfs", `${m}/dev`],
    ...DEVICES.map((d) => ["mknod", "-m", "0666", `${m}/dev/${d.name}`, "c", String(d.major), String(d.minor)]),
    ["ln", "-s", "/proc/self/fd", `${m}/dev/fd`],
    ["mount", "-t", "tmpfs", "-o", "mode=1777", "tmpfs", `${m}/tmp`],
    ["mount", "--bind", root.aptLists, `${m}/var/lib/apt/lists`],
    ["mount", "--bind", root.aptCache, `${m}/var/cache/apt`],
  ];
  if (root.resolvConf !== undefined) argvs.push(["mount", "--bind", root.resolvConf, `${m}/etc/resolv.conf`]);
  return argvs;
}

/** The mount points of mountArgvs, innermost first. */
export function mountPoints(root: BuildRoot): string[] {
  const m = root.merged;
  const points = [`${m}/proc`, `${m}/dev`, `${m}/tmp`, `${m}/var/lib/apt/lists`, `${m}/var/cache/apt`];
  if (root.resolvConf !== undefined) points.push(`${m}/etc/resolv.conf`);
  return [...points.reverse(), m];
}

/** Runs argv inside the root with exactly env (nothing leaks in from the builder's environment). */
export function chrootArgv(merged: string, env: Readonly<Record<string, string>>, argv: readonly string[]): string[] {
  return ["chroot", merged, "/usr/bin/env", "-i", ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...argv];
}

export function debootstrapArgv(spec: { suite: string; variant: string; mirror: string; include: readonly string[] }, target: string, cacheDir: string): string[] {
  const include = spec.include.length > 0 ? [`--include=${spec.include.join(",")}`] : [];
  return ["debootstrap", `--variant=${spec.variant}`, ...include, `--cache-dir=${cacheDir}`, spec.suite, target, spec.mirror];
}
