/**
 * Commands (data) that save a container's config directory before an upgrade and put it back on
 * rollback. Paths travel as arguments, never inside the script text, so quoting happens once, at
 * the SSH boundary.
 */
import type { Command } from "../exec/types.js";
import { previousDir, STATE_DIR } from "../plan/record.js";

export interface SavedConfig {
  readonly container: string;
  /** the container's config directory, e.g. /etc/kolla/keystone */
  readonly configDir: string;
}

// The copies hold the same secrets as /etc/kolla, so their tree is root-only. Each copy is made
// beside its final place and renamed, so a failed copy never replaces an earlier good one.
const SAVE_SCRIPT = `set -e
umask 077
mkdir -p "$1"; chmod 700 "$1"; shift
while [ $# -ge 2 ]; do
  src=$1; dst=$2; shift 2
  rm -rf "$dst.kd-new"
  if [ -d "$src" ]; then cp -a "$src" "$dst.kd-new"; else mkdir "$dst.kd-new"; fi
  rm -rf "$dst"; mv "$dst.kd-new" "$dst"
done`;

// The directory itself stays (same inode): a running container's bind mount keeps pointing at it.
const RESTORE_SCRIPT = `set -e
while [ $# -ge 2 ]; do
  saved=$1; dir=$2; shift 2
  if [ ! -d "$saved" ]; then echo "no saved config at $saved" >&2; exit 3; fi
  mkdir -p "$dir"
  find "$dir" -mindepth 1 -delete
  cp -a "$saved/." "$dir/"
done`;

export function saveConfigCommand(items: readonly SavedConfig[]): Command {
  const pairs = items.flatMap((i) => [i.configDir, previousDir(i.container)]);
  return { argv: ["sh", "-c", SAVE_SCRIPT, "kolla-deploy-save", `${STATE_DIR}/previous`, ...pairs], become: true };
}

export function restoreConfigCommand(items: readonly SavedConfig[]): Command {
  const pairs = items.flatMap((i) => [previousDir(i.container), i.configDir]);
  return { argv: ["sh", "-c", RESTORE_SCRIPT, "kolla-deploy-restore", ...pairs], become: true };
}
