# shellcheck shell=bash
# Shared helpers of testbed.sh: logging, the network-safety checks, PID bookkeeping,
# SSH to a host and cgroups. Sourced by testbed.sh; defines functions only.

log() { printf '[testbed %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1fs", b-a}'; }

host_ip()  { echo "${NET}.$((10 + $1))"; }
# only for eth1's stable MAC: eth1 has no address of its own
host_ext_ip() { echo "${EXT_NET}.$((10 + $1))"; }
host_ns()  { echo "${PREFIX}-node$1"; }
host_dir() { echo "$DIR/hosts/node$1"; }
# node index from "node3" or "3"
node_index() {
    local i=${1#node}
    [[ $i =~ ^[0-9]+$ ]] && (( i >= 1 && i <= $(recorded_n) )) || die "no such host: $1"
    echo "$i"
}
# is nodeI listed in the comma list $2? (an empty list means "every host" when $3 == all)
in_node_list() {
    local i=$1 list=$2 empty=${3:-none} x
    [[ -z $list ]] && { [[ $empty == all ]]; return; }
    for x in ${list//,/ }; do [[ ${x#node} == "$i" ]] && return 0; done
    return 1
}
# stable, locally administered MACs derived from the address: a re-created host keeps
# its MAC, so no ARP cache points at a vanished one (a stale entry cost ~30 s per connect)
mac_of() { local a b c d; IFS=. read -r a b c d <<< "$1"; printf '02:54:%02x:%02x:%02x:%02x' "$a" "$b" "$c" "$d"; }

# ---------------------------------------------------------------- safety ---
check_net_param() {
    [[ $NET =~ ^198\.(18|19)\.([0-9]{1,3})$ ]] && (( BASH_REMATCH[2] <= 255 )) \
        || die "TESTBED_NET=$NET must be 198.18.X or 198.19.X (RFC 2544 range, 198.18.0.0/15)"
    [[ $PREFIX =~ ^[a-z][a-z0-9]{0,4}$ ]] || die "TESTBED_PREFIX must be 1-5 lowercase chars"
    case $DIR in /|/etc*|/run*|/proc*|/sys*|/dev*|/usr*|/bin*|/lib*) die "unsafe TESTBED_DIR=$DIR";; esac
}

# All traffic this script sends (ssh, registry push) goes to $NET.x, and only after this
# check says the kernel would send it out of our own bridge, never the default route.
route_ok() {
    local r; r=$(ip -o route get "$1" 2>/dev/null) || return 1
    [[ $r == *" dev $BR "* ]]
}

# Refuse to start if any interface other than ours already uses the /24.
check_range_free() { # NET BRIDGE
    local net=$1 br=$2 line
    while read -r line; do
        [[ -z $line ]] && continue
        [[ $line == *" dev $br "* || $line == "$br "* ]] && continue
        die "address range ${net}.0/24 is already in use here: $line"
    done < <(ip -o -4 addr show | awk -v p="${net}." 'index($4,p)==1{print $2" "$4}';
             ip -4 route show | awk -v p="${net}." 'index($1,p)==1' )
}

# ------------------------------------------------------- pid bookkeeping ---
# A PID is only ever signalled together with the start time recorded with it, so a
# recycled PID belonging to someone else is never hit.
starttime() { awk '{print $22}' "/proc/$1/stat" 2>/dev/null; }
record() { echo "$2 $(starttime "$2")" > "$1"; }
# recorded_alive FILE: prints the pid if that exact process still runs
recorded_alive() {
    local f=$1 pid st
    [[ -f $f ]] || return 1
    read -r pid st < "$f" || return 1
    [[ -n $pid && -n $st && "$(starttime "$pid")" == "$st" ]] || return 1
    echo "$pid"
}
wait_gone() { # FILE SECONDS
    local i
    for ((i = 0; i < $2 * 10; i++)); do recorded_alive "$1" >/dev/null || return 0; sleep 0.1; done
    return 1
}
# stop_recorded FILE TERM_TIMEOUT: TERM, wait, then KILL, by recorded pid only
stop_recorded() {
    local f=$1 t=$2 pid
    pid=$(recorded_alive "$f") || { rm -f "$f"; return 0; }
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_gone "$f" "$t"; then
        log "pid $pid ($f) ignored TERM for ${t}s, sending KILL"
        pid=$(recorded_alive "$f") && kill -KILL "$pid" 2>/dev/null || true
        wait_gone "$f" 10 || log "WARNING: pid $pid still alive"
    fi
    rm -f "$f"
}

# ------------------------------------------------------------ ssh helpers ---
# hssh I CMD...: run CMD on host I as root (refuses if the route is not our bridge)
hssh() {
    local i=$1; shift
    local ip; ip=$(host_ip "$i")
    route_ok "$ip" || die "route to $ip does not go through $BR; refusing to connect"
    ssh -F /dev/null -i "$DIR/id_ed25519" -o IdentitiesOnly=yes -o BatchMode=yes \
        -o UserKnownHostsFile="$DIR/known_hosts" -o StrictHostKeyChecking=yes \
        -o ConnectTimeout=5 -o LogLevel=ERROR "root@$ip" "$@"
}

# ---------------------------------------------------------------- cgroups ---
cg_hier() { local h; for h in /sys/fs/cgroup/*/; do [[ -f ${h}cgroup.procs ]] && echo "${h%/}"; done; }
cg_make() { # cg_make NAME
    local h d
    for h in $(cg_hier); do
        d="$h/$1"; mkdir -p "$d"
        if [[ -f $d/cpuset.cpus && -z $(cat "$d/cpuset.cpus") ]]; then
            cat "$h/cpuset.cpus" > "$d/cpuset.cpus"; cat "$h/cpuset.mems" > "$d/cpuset.mems"
        fi
    done
    if [[ -n ${TESTBED_HOST_MEM:-} && -f /sys/fs/cgroup/memory/$1/memory.limit_in_bytes ]]; then
        echo "$TESTBED_HOST_MEM" > "/sys/fs/cgroup/memory/$1/memory.limit_in_bytes"
    fi
}
cg_remove() { # remove the (now empty) subtree NAME in every hierarchy
    local h
    for h in $(cg_hier); do
        [[ -d $h/$1 ]] || continue
        find "$h/$1" -depth -type d -exec rmdir {} \; 2>/dev/null || true
        [[ -d $h/$1 ]] && log "WARNING: cgroup $h/$1 not removable (processes left?)"
    done
    return 0
}

recorded_n() { [[ -f $DIR/n ]] && cat "$DIR/n" || echo 0; }
