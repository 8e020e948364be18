/**
 * The apply exec of one host as data: one fixed sh script that runs a list of operations given as
 * arguments (`op arg...`), so no value is ever spliced into script text. Pure.
 *
 * Order matters: stale package sources go first, then the package install (the config files were
 * already written, so a fresh engine starts with them), then accounts, the config directory and
 * last the engine (start after an install, restart only when its configuration changed).
 */
import type { Command } from "../exec/types.js";
import type { HostBootstrapPlan } from "./types.js";

const SCRIPT = `set -eu
kd_log=$(mktemp)
trap 'rm -f "$kd_log"' EXIT
fail() { echo "kolla-deploy: $*" >&2; exit 1; }
quiet() {
  if ! "$@" > "$kd_log" 2>&1; then tail -n 20 "$kd_log" >&2; fail "failed: $*"; fi
}
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  quiet apt-get update -q
  # shellcheck disable=SC2086 # package names: one word each
  quiet apt-get install -y -q --no-install-recommends -o Dpkg::Options::=--force-confold $1
}
dnf_install() {
  # shellcheck disable=SC2086
  quiet dnf install -y -q $1
}
need() {
  for b in $1; do command -v "$b" > /dev/null 2>&1 || fail "$b is still missing after installing the package"; done
}
ensure_group() { getent group "$1" > /dev/null 2>&1 || groupadd "$1"; }
ensure_user() { # user primary-group supplementary-groups(comma list)
  if id -u "$1" > /dev/null 2>&1; then usermod -g "$2" -a -G "$3" "$1"
  else useradd -m -s /bin/bash -g "$2" -G "$3" "$1"; fi
}
add_key() { # user public-key
  home=$(getent passwd "$1" | cut -d: -f6)
  [ -n "$home" ] || fail "user $1 has no home directory"
  g=$(id -gn "$1")
  install -d -m 700 -o "$1" -g "$g" "$home/.ssh"
  f=$home/.ssh/authorized_keys
  touch "$f"
  # a last line without its newline would swallow the key
  if [ -s "$f" ] && [ -n "$(tail -c 1 "$f")" ]; then echo >> "$f"; fi
  grep -qxF "$2" "$f" || printf '%s\\n' "$2" >> "$f"
  chown "$1:$g" "$f"
  chmod 600 "$f"
}
ensure_dir() { # path owner group (owner "" = leave it)
  mkdir -p "$1"
  chmod 755 "$1"
  if [ -n "$2" ]; then chown "$2:$3" "$1"; fi
}
docker_answers() { timeout 10 docker version > /dev/null 2>&1; }
# waits until a dockerd other than pid $2 runs and answers, for at most $1 seconds
wait_docker() {
  end=$(($(date +%s) + $1))
  while [ "$(date +%s)" -lt "$end" ]; do
    pid=$(cat /run/docker.pid 2> /dev/null || true)
    if [ -n "$pid" ] && [ "$pid" != "$2" ] && docker_answers; then return 0; fi
    sleep 0.2
  done
  return 1
}
docker_start() { # systemd|supervised
  if [ "$1" = systemd ]; then
    quiet systemctl start docker
    wait_docker 90 "" || fail "docker did not answer within 90 s of systemctl start docker"
  else
    # without systemd the host's own supervisor starts an installed dockerd; we only wait for it
    wait_docker 90 "" || fail "dockerd does not answer and this host has no systemd to start it"
  fi
}
docker_restart() { # systemd|supervised
  old=$(cat /run/docker.pid 2> /dev/null || true)
  if [ "$1" = systemd ]; then quiet systemctl restart docker
  else
    # no systemd: the host's supervisor starts dockerd again when it exits
    [ -n "$old" ] || fail "cannot restart dockerd: no /run/docker.pid and no systemd"
    kill "$old"
  fi
  wait_docker 120 "$old" || fail "docker did not answer within 120 s of its restart"
}
while [ $# -gt 0 ]; do
  op=$1; shift
  case $op in
    remove) rm -f "$1"; shift ;;
    apt-install) apt_install "$1"; shift ;;
    dnf-install) dnf_install "$1"; shift ;;
    need) need "$1"; shift ;;
    group) ensure_group "$1"; shift ;;
    user) ensure_user "$1" "$2" "$3"; shift 3 ;;
    key) add_key "$1" "$2"; shift 2 ;;
    dir) ensure_dir "$1" "$2" "$3"; shift 3 ;;
    docker-start) docker_start "$1"; shift ;;
    docker-restart) docker_restart "$1"; shift ;;
    docker-enable) quiet systemctl enable docker ;;
    *) fail "unknown operation $op" ;;
  esac
done`;

/** The operations for a plan, in order, as `op arg...` words. */
export function applyOperations(plan: HostBootstrapPlan): string[] {
  const ops: string[] = [];
  for (const path of plan.removals) ops.push("remove", path);
  if (plan.install !== undefined) {
    ops.push(`${plan.install.manager}-install`, plan.install.packages.join(" "), "need", plan.install.binaries.join(" "));
  }
  const a = plan.account;
  if (a !== undefined) {
    for (const g of [...new Set([a.group, ...a.groups])]) ops.push("group", g);
    if (a.createUser || a.addToGroups.length > 0) ops.push("user", a.user, a.group, a.groups.join(","));
    if (a.publicKey !== undefined) ops.push("key", a.user, a.publicKey);
  }
  if (plan.configDir !== undefined) ops.push("dir", plan.configDir.path, plan.configDir.owner ?? "", plan.configDir.group ?? "");
  const e = plan.engine;
  const mode = e.systemd ? "systemd" : "supervised";
  if (e.work === "start") ops.push("docker-start", mode);
  if (e.work === "restart") ops.push("docker-restart", mode);
  if (e.enable) ops.push("docker-enable");
  return ops;
}

/** The apply command, or undefined when the plan needs no command (files only, or nothing). */
export function applyCommand(plan: HostBootstrapPlan, secrets: readonly string[]): Command | undefined {
  const ops = applyOperations(plan);
  if (ops.length === 0) return undefined;
  return { argv: ["sh", "-c", SCRIPT, "kolla-deploy-bootstrap", ...ops], become: true, secrets };
}
