/**
 * Engine commands about the host rather than one container: versions, lists, the data root's free
 * space, removals and pruning. Pure argv builders, shared by both drivers.
 */
import type { Command } from "../command.js";
import type { EngineName } from "./types.js";

/** Where each engine keeps its data, and how `info` names it. */
const DATA_ROOT: Record<EngineName, { readonly format: string; readonly fallback: string }> = {
  docker: { format: "{{.DockerRootDir}}", fallback: "/var/lib/docker" },
  podman: { format: "{{.Store.GraphRoot}}", fallback: "/var/lib/containers/storage" },
};

// $1 engine, $2 its info format for the data root, $3 the default data root. The second `info`
// only runs when the first failed, to show why; df walks up to a directory that exists. Output:
// `kd-engine up|down ROOT`, `kd-err …` lines, `kd-df <df -P line>` (prechecks/parse.ts reads it).
const DATA_ROOT_SCRIPT = `if root=$("$1" info --format "$2" 2>/dev/null) && [ -n "$root" ]; then
  printf 'kd-engine up %s\\n' "$root"
else
  printf 'kd-engine down %s\\n' "$3"
  "$1" info --format "$2" 2>&1 >/dev/null | head -n 2 | sed 's/^/kd-err /'
  root=$3
fi
d=$root
while [ ! -d "$d" ]; do d=$(dirname "$d"); done
df -Pk "$d" | tail -n 1 | sed 's/^/kd-df /'`;

export interface HostQueries {
  version(): Command;
  /** whether the daemon answers, where its data root is, and that file system's free space */
  dataRootUsage(): Command;
  /** one line per running container: its name */
  runningNames(): Command;
  /** one line per local image, in a Go template `format` */
  listImages(format: string): Command;
  pruneImages(): Command;
  listVolumes(): Command;
  removeVolume(name: string): Command;
  removeImage(ref: string): Command;
}

export function hostQueries(bin: EngineName): HostQueries {
  const root = DATA_ROOT[bin];
  return {
    version: () => ({ argv: [bin, "--version"] }),
    dataRootUsage: () => ({ argv: ["sh", "-c", DATA_ROOT_SCRIPT, "kolla-deploy-engine", bin, root.format, root.fallback] }),
    runningNames: () => ({ argv: [bin, "ps", "--format", "{{.Names}}"] }),
    listImages: (format) => ({ argv: [bin, "image", "ls", "--no-trunc", "--format", format] }),
    pruneImages: () => ({ argv: [bin, "image", "prune", "--all", "--force"] }),
    listVolumes: () => ({ argv: [bin, "volume", "ls", "--quiet"] }),
    removeVolume: (name) => ({ argv: [bin, "volume", "rm", name] }),
    removeImage: (ref) => ({ argv: [bin, "image", "rm", ref] }),
  };
}
