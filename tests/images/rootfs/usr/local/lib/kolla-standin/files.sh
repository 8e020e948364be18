# File helpers shared by kolla_set_configs (sourced; busybox ash).
# They mirror kolla's set_configs.py: owner "user[:group]" (group defaults to
# the user's name), perm as octal text ("0600", "600" or "0o600"), directories
# get the execute bit wherever they get the read bit.

TAB=$(printf '\t')

log() { echo "INFO:kolla_set_configs:$*" >&2; }
fail() { code=$1; shift; echo "ERROR:kolla_set_configs:$*" >&2; exit "$code"; }

owner_user() { echo "${1%%:*}"; }
owner_group() {
    case $1 in
        *:?*) echo "${1#*:}" ;;
        *) echo "${1%%:*}" ;;
    esac
}

# Four-digit octal text, the form kolla compares (oct(st_mode)[-4:]).
normalize_perm() {
    local p=${1#0o}
    case $p in *[!0-7]* | '') fail 1 "InvalidConfig: perm '$1' is not octal" ;; esac
    printf '%04o' $((0$p))
}

name_exists() { grep -q "^$2:" "$1"; }

# Next free id above kolla's fixed range, for service users the image does not ship.
next_free_id() {
    local id=42600
    while grep -q "^[^:]*:[^:]*:$id:" /etc/passwd /etc/group; do id=$((id + 1)); done
    echo "$id"
}

# kolla's images ship their service users; the stand-in ships the common ones
# (/etc/passwd in the image) and creates any other on demand, so one image can
# stand in for every service.
ensure_group() {
    local gid
    name_exists /etc/group "$1" && return 0
    gid=$(next_free_id)
    echo "$1:x:$gid:" >> /etc/group
    log "Created group $1 ($gid)"
}

ensure_user() {
    local gid uid
    name_exists /etc/passwd "$1" && return 0
    ensure_group "$1"
    gid=$(grep "^$1:" /etc/group | cut -d: -f3)
    uid=$(next_free_id)
    echo "$1:x:$uid:$gid::/var/lib/$1:/usr/sbin/nologin" >> /etc/passwd
    log "Created user $1 ($uid)"
}

# Sets owner and perm on one path (kolla's set_perms).
set_perms() {
    local path=$1 owner=$2 perm=$3 user group
    if [ ! -e "$path" ]; then log "WARNING: $path does not exist"; return 0; fi
    user=$(owner_user "$owner"); group=$(owner_group "$owner")
    ensure_user "$user"; ensure_group "$group"
    chown -h "$user:$group" "$path" || fail 2 "Failed to change ownership of $path to $user:$group"
    [ "$perm" = "-" ] && return 0
    chmod "$(expected_perm "$path" "$perm")" "$path" || fail 2 "Failed to set permission of $path"
}

# The mode a path should end up with, after the directory execute-bit rule.
expected_perm() {
    local mode
    mode=$((0$(normalize_perm "$2")))
    if [ -d "$1" ]; then
        [ $((mode & 256)) -ne 0 ] && mode=$((mode | 64))
        [ $((mode & 32)) -ne 0 ] && mode=$((mode | 8))
        [ $((mode & 4)) -ne 0 ] && mode=$((mode | 1))
    fi
    printf '%04o' "$mode"
}

set_perms_recursive() {
    set_perms "$1" "$2" "$3"
    [ -d "$1" ] || return 0
    find "$1" -mindepth 1 | while IFS= read -r entry; do set_perms "$entry" "$2" "$3"; done
}

# Copies source's mode and ownership onto dest (preserve_properties).
copy_properties() {
    chmod "$(stat -c '%a' "$1")" "$2"
    chown -h "$(stat -c '%u:%g' "$1")" "$2"
}

# Lists a directory's entries (dotfiles included, like os.listdir), one per line.
list_dir() {
    local entry
    for entry in "$1"/* "$1"/.[!.]* "$1"/..?*; do
        [ -e "$entry" ] || [ -L "$entry" ] || continue
        echo "$entry"
    done
}
