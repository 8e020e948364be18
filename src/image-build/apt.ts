/**
 * Pure: apt-get argv for the chroot and the reading of its failures, so a failed install names the
 * package that could not be installed instead of dumping apt's output.
 */
export const APT_ENV: Readonly<Record<string, string>> = {
  DEBIAN_FRONTEND: "noninteractive",
  DEBCONF_NONINTERACTIVE_SEEN: "true",
  LANG: "C.UTF-8",
  LC_ALL: "C.UTF-8",
  PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
};

/**
 * Build roots share apt's lists and archives (bind mounts from the cache), but each has its own
 * dpkg status: no on-disk pkgcache.bin, which one root would write while another reads it.
 */
const QUIET = ["-q", "-o", "APT::Color=0", "-o", "Dpkg::Use-Pty=0", "-o", "Dir::Cache::pkgcache=", "-o", "Dir::Cache::srcpkgcache="];

const INSTALL = ["install", "-y", "--no-install-recommends"];

export function aptUpdateArgv(): string[] {
  return ["apt-get", ...QUIET, "update"];
}

/** Fetches the .debs into the shared archives (under the builder's lock: apt's own would refuse a second root). */
export function aptDownloadArgv(packages: readonly string[]): string[] {
  return ["apt-get", ...QUIET, ...INSTALL, "--download-only", ...packages];
}

/**
 * Installs from the archives the download filled. No apt lock: the shared archives directory is
 * only read now, and dpkg still locks its own database inside the root.
 */
export function aptInstallArgv(packages: readonly string[]): string[] {
  return [
    "apt-get", ...QUIET, "-o", "Debug::NoLocking=true", ...INSTALL,
    "-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold",
    ...packages,
  ];
}

const MISSING_PATTERNS = [
  /Unable to locate package (\S+)/g,
  /Package '?([^'\s]+)'? has no installation candidate/g,
  /Couldn't find any package by (?:glob|regex) '([^']+)'/g,
];

/** Package names apt says it cannot install, in the order apt printed them. */
export function missingPackages(aptOutput: string): string[] {
  const found: { at: number; name: string }[] = [];
  for (const pattern of MISSING_PATTERNS) {
    for (const match of aptOutput.matchAll(pattern)) found.push({ at: match.index ?? 0, name: match[1]! });
  }
  return [...new Set(found.sort((a, b) => a.at - b.at).map((f) => f.name))];
}

/** The last few `E:` lines apt printed: the part of a failure an operator needs. */
export function aptErrorLines(aptOutput: string, max = 3): string[] {
  return aptOutput
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("E: ") || line.startsWith("dpkg: error"))
    .slice(-max);
}
