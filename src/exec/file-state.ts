/**
 * A read-only query for the state of files on a host (exists, type, sha256, mode, owner, group),
 * as a Command plus a parser, so it can be composed with other queries into one exec.
 */
import type { Command } from "./types.js";

export interface FileState {
  readonly path: string;
  readonly exists: boolean;
  readonly type?: "file" | "dir" | "other";
  /** Permission bits, e.g. 0o644. */
  readonly mode?: number;
  readonly owner?: string;
  readonly group?: string;
  /** Hex digest of a regular file; undefined for other types or when it could not be read. */
  readonly sha256?: string;
}

const TAG = "kd-fs";

// Output lines carry the path's index, never the path, so odd file names cannot confuse the parser.
const FILE_STATE_SCRIPT = `i=0
for p in "$@"; do
  if [ -e "$p" ]; then
    if [ -d "$p" ]; then t=dir; elif [ -f "$p" ]; then t=file; else t=other; fi
    meta=$(stat -L -c '%a %U %G' "$p" 2>/dev/null || echo '? ? ?')
    sum=-
    if [ "$t" = file ]; then sum=$(sha256sum < "$p" 2>/dev/null | cut -d ' ' -f 1); [ -n "$sum" ] || sum=-; fi
    printf '${TAG} %s %s %s %s\\n' "$i" "$t" "$meta" "$sum"
  else
    printf '${TAG} %s missing\\n' "$i"
  fi
  i=$((i + 1))
done
`;

export function fileStateQuery(paths: readonly string[]): Command {
  return { argv: ["sh", "-c", FILE_STATE_SCRIPT, "kolla-deploy-file-state", ...paths] };
}

/** Parses the query's stdout back into one FileState per requested path, in order. */
export function parseFileState(paths: readonly string[], stdout: string): FileState[] {
  const byIndex = new Map<number, string[]>();
  for (const line of stdout.split("\n")) {
    const fields = line.trim().split(/\s+/);
    if (fields[0] !== TAG || fields[1] === undefined) continue;
    byIndex.set(Number(fields[1]), fields.slice(2));
  }
  return paths.map((path, index) => {
    const fields = byIndex.get(index);
    if (fields === undefined) throw new Error(`file state output has no line for ${path}`);
    if (fields[0] === "missing") return { path, exists: false };
    const [type, mode, owner, group, sum] = fields;
    return {
      path,
      exists: true,
      type: type === "file" || type === "dir" ? type : "other",
      ...(mode === undefined || mode === "?" ? {} : { mode: parseInt(mode, 8) }),
      ...(owner === undefined || owner === "?" ? {} : { owner }),
      ...(group === undefined || group === "?" ? {} : { group }),
      ...(sum === undefined || sum === "-" ? {} : { sha256: sum }),
    };
  });
}
