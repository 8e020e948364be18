/**
 * putFiles as data: one Command whose stdin is a tar stream and whose argv is a POSIX sh script.
 * The script extracts into a private staging dir, checks the stream arrived whole (an `end`
 * member), makes a temp file beside every destination (same filesystem) with the final content,
 * owner and mode, and only then renames each into place. A dropped connection before the end
 * changes nothing at any destination; the EXIT trap removes staging and temp files.
 */
import type { Command, FileUpload } from "./types.js";
import { writeTar, type TarEntry } from "./tar.js";

/** Marks the end of the stream: if it was extracted, every file before it arrived whole. */
const END_MEMBER = "end";

const PUT_SCRIPT = `set -eu
umask 022
stage=$(mktemp -d "\${TMPDIR:-/tmp}/.kd-put.XXXXXX")
temps="$stage/.temps"
: > "$temps"
cleanup() {
  while IFS= read -r t; do rm -f "$t"; done < "$temps"
  rm -rf "$stage"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM
tar -x -o -f - -C "$stage"
if [ ! -f "$stage/${END_MEMBER}" ]; then echo "kolla-deploy: the file stream ended early" >&2; exit 1; fi
stage_one() {
  if [ -d "$2" ]; then echo "kolla-deploy: $2 is a directory" >&2; exit 1; fi
  dir=$(dirname "$2")
  mkdir -p "$dir"
  t=$(mktemp "$dir/.kd-put.XXXXXX")
  printf '%s\\n' "$t" >> "$temps"
  cat "$stage/$1" > "$t"
  if [ -n "$4" ] && [ -n "$5" ]; then chown "$4:$5" "$t"
  elif [ -n "$4" ]; then chown "$4" "$t"
  elif [ -n "$5" ]; then chgrp "$5" "$t"; fi
  chmod "$3" "$t"
}
n=0; k=0
for a in "$@"; do
  case $k in
    0) dest=$a ;;
    1) mode=$a ;;
    2) owner=$a ;;
    3) stage_one "$n" "$dest" "$mode" "$owner" "$a"; n=$((n + 1)) ;;
  esac
  k=$(((k + 1) % 4))
done
exec 3< "$temps"
k=0
for a in "$@"; do
  if [ $k -eq 0 ]; then IFS= read -r t <&3; mv -f "$t" "$a"; fi
  k=$(((k + 1) % 4))
done
`;

/** Owner/group names we pass to chown: user names or numeric ids, nothing a shell could misread. */
const ACCOUNT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*\$?$/;

/** Why an upload is refused, or undefined when it is fine. */
export function uploadProblem(file: FileUpload): string | undefined {
  if (!file.path.startsWith("/")) return "destination must be an absolute path";
  if (/[\0\n]/.test(file.path)) return "destination contains a NUL or newline";
  if (file.path.endsWith("/") || file.path.split("/").includes("..")) return "destination must name a file";
  if (!Number.isInteger(file.mode) || file.mode < 0 || file.mode > 0o7777) return `invalid mode ${file.mode}`;
  for (const account of [file.owner, file.group]) {
    if (account !== undefined && !ACCOUNT_NAME.test(account)) return `invalid owner or group "${account}"`;
  }
  return undefined;
}

/** The single command that writes every file; throws on an invalid upload (a caller bug). */
export function putFilesCommand(files: readonly FileUpload[], opts: { become?: boolean } = {}): Command {
  const entries: TarEntry[] = files.map((file, index) => {
    const problem = uploadProblem(file);
    if (problem !== undefined) throw new Error(`cannot upload ${file.path}: ${problem}`);
    return { name: String(index), data: typeof file.content === "string" ? Buffer.from(file.content) : file.content };
  });
  entries.push({ name: END_MEMBER, data: Buffer.alloc(0) });
  const args = files.flatMap((f) => [f.path, f.mode.toString(8).padStart(4, "0"), f.owner ?? "", f.group ?? ""]);
  return {
    argv: ["sh", "-c", PUT_SCRIPT, "kolla-deploy-put", ...args],
    stdin: writeTar(entries),
    ...(opts.become === undefined ? {} : { become: opts.become }),
  };
}
