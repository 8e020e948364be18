#!/usr/bin/env bash
# testbed.sh - N throw-away "hosts" on one Linux machine, each with its own IP,
# a real OpenSSH sshd on port 22, its own filesystem view and its own dockerd.
#
#   testbed.sh deps              apt-get install what the test bed needs
#   testbed.sh up N              make node1..nodeN exist and be healthy (idempotent)
#   testbed.sh status            health of every host; exit 1 if any is unhealthy
#   testbed.sh inventory         print the inventory again
#   testbed.sh ssh NODE [CMD]    ssh to a host as root (checks the route first)
#   testbed.sh logs NODE         tail that host's sshd/dockerd logs
#   testbed.sh stop-sshd NODE    stop that host's sshd (host and containers stay up)
#   testbed.sh start-sshd NODE   start it again
#   testbed.sh down              remove everything `up` made (idempotent)
#
# Environment (all optional; see docs/testbed.md):
#   TESTBED_DIR        state directory (default /var/tmp/kolla-testbed)
#   TESTBED_PREFIX     prefix of netns/links/cgroups (default kt)
#   TESTBED_NET        first three octets of the /24, inside 198.18.0.0/15 (default 198.18.0)
#   TESTBED_DOCKER     1 = a dockerd per host (default 1 if dockerd exists)
#   TESTBED_PODMAN     1 = podman usable on each host, image imported (default 0)
#   TESTBED_REGISTRY   1 = local registry on $NET.1:5000 (default 1 if docker-registry exists)
#   TESTBED_HOST_MEM   memory limit per host (cgroup v1), e.g. 2G
#   TESTBED_SUDO_USER  create this user (same key, passwordless sudo) ...
#   TESTBED_SUDO_HOSTS ... on these hosts only (comma list, e.g. node2; default: all)
#   TESTBED_BARE       hosts without any container engine (comma list, e.g. node3)
#   TESTBED_MTU        MTU of the bed's links (default 1500; 1450 = an underlay like a cloud VM's)
#
# Every host also has eth1, without an address, on a second bridge (<prefix>-br1): the
# "external" network of the other /15 half (198.18.X <-> 198.19.X), whose .1 is this machine.
# neutron takes eth1 for its provider network (neutron_external_interface).
#
# Processes are only signalled by PIDs this script recorded (checked against their
# recorded start time); nothing is killed by name. Last resort in `down`: a process still
# inside the cgroup that `up` created for a host is killed.
set -euo pipefail

SELF=$(readlink -f "${BASH_SOURCE[0]}")
HERE=$(dirname "$SELF")
DIR=${TESTBED_DIR:-/var/tmp/kolla-testbed}
PREFIX=${TESTBED_PREFIX:-kt}
NET=${TESTBED_NET:-198.18.0}
BR="${PREFIX}-br0"
EXT_BR="${PREFIX}-br1"
GW="${NET}.1"
# the external network: the same third octet in the other half of 198.18.0.0/15
EXT_NET=$([[ $NET == 198.18.* ]] && echo "198.19.${NET#198.18.}" || echo "198.18.${NET#198.19.}")
EXT_GW="${EXT_NET}.1"
REG_PORT=5000
IMAGE=testbed/busybox:latest
MAXN=50
# daemons get a clean environment: no proxy variables, DOCKER_HOST, ... from the caller
SAFE_ENV=(env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8)

# shellcheck source=lib/common.sh
source "$HERE/lib/common.sh"
# shellcheck source=lib/host.sh
source "$HERE/lib/host.sh"
# shellcheck source=lib/build.sh
source "$HERE/lib/build.sh"
# shellcheck source=lib/lifecycle.sh
source "$HERE/lib/lifecycle.sh"
# shellcheck source=lib/inventory.sh
source "$HERE/lib/inventory.sh"

lock() { exec 9> "${DIR%/}.lock"; flock -w 120 9 || die "another testbed.sh is running"; }
need() { local c; for c; do command -v "$c" > /dev/null || die "missing $c (run: $0 deps)"; done; }

cmd_deps() {
    local pk=(openssh-server openssh-client busybox-static iproute2 util-linux tini curl python3-minimal sudo passwd)
    pk+=(docker.io)                                   # dockerd, containerd, runc, tini
    [[ ${TESTBED_PODMAN:-0} == 1 ]] && pk+=(podman)
    [[ ${TESTBED_REGISTRY:-1} == 1 ]] && pk+=(docker-registry)
    local t; t=$(now)
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
        --no-install-recommends "${pk[@]}" > /dev/null
    log "installed ${pk[*]} in $(since "$t")"
}

# the knobs that shape the hosts: when they change, every host is re-created
config_signature() {
    echo "n=$1 docker=$DO_DOCKER podman=$DO_PODMAN bare=${TESTBED_BARE:-}" \
         "sudo=${TESTBED_SUDO_USER:-}@${TESTBED_SUDO_HOSTS:-} mem=${TESTBED_HOST_MEM:-} mtu=$MTU"
}

# Knobs not given now keep the values of the last `up`: a plain `up 3` next to a running bed
# must not re-create its hosts (and kill everyone's containers) just because a knob is unset.
KNOBS=(TESTBED_DOCKER TESTBED_PODMAN TESTBED_REGISTRY TESTBED_HOST_MEM TESTBED_SUDO_USER TESTBED_SUDO_HOSTS TESTBED_BARE TESTBED_MTU)
load_knobs() {
    local k line
    [[ -f $DIR/knobs ]] || return 0
    while IFS= read -r line; do
        k=${line%%=*}
        [[ " ${KNOBS[*]} " == *" $k "* && -z ${!k+set} ]] && export "$k=${line#*=}"
    done < "$DIR/knobs"
    return 0
}
save_knobs() {
    local k
    for k in "${KNOBS[@]}"; do [[ -n ${!k+set} ]] && printf '%s=%s\n' "$k" "${!k}"; done > "$DIR/knobs"
    return 0
}

up_checks() {
    [[ $(id -u) == 0 ]] || die "must run as root"
    load_knobs
    need ip nsenter unshare setsid flock ssh ssh-keygen /usr/sbin/sshd tini findmnt curl pivot_root
    [[ -d /sys/fs/cgroup/memory ]] || die "expects cgroup v1 hierarchies under /sys/fs/cgroup"
    DO_DOCKER=${TESTBED_DOCKER:-$(command -v dockerd > /dev/null && echo 1 || echo 0)}
    DO_PODMAN=${TESTBED_PODMAN:-0}
    DO_REG=${TESTBED_REGISTRY:-$(command -v docker-registry > /dev/null && echo 1 || echo 0)}
    [[ $DO_DOCKER == 1 ]] && need dockerd docker
    [[ $DO_PODMAN == 1 ]] && need podman
    [[ $DO_REG == 1 ]] && need docker-registry
    [[ -n ${TESTBED_SUDO_USER:-} ]] && need sudo useradd
    [[ -z ${TESTBED_SUDO_USER:-} || $TESTBED_SUDO_USER =~ ^[a-z][a-z0-9_-]{0,30}$ ]] \
        || die "TESTBED_SUDO_USER must be a plain user name"
    MTU=${TESTBED_MTU:-1500}
    [[ $MTU =~ ^[0-9]+$ ]] && (( MTU >= 1280 && MTU <= 9000 )) || die "TESTBED_MTU must be 1280..9000"
    return 0
}

bridge_up() {
    ext_bridge_up
    ip link show "$BR" > /dev/null 2>&1 && { ip link set "$BR" mtu "$MTU"; return 0; }
    check_range_free "$NET" "$BR"
    # remember whether /run/netns was there before `ip netns add` makes it
    if [[ ! -f $DIR/run-netns.pre ]]; then
        { [[ -d /run/netns ]] && echo dir || echo none; mountpoint -q /run/netns && echo mount || echo nomount; } \
            | paste -sd' ' > "$DIR/run-netns.pre"
    fi
    ip link add "$BR" address "$(mac_of "$GW")" type bridge   # fixed MAC: does not follow its ports
    sysctl -qw "net.ipv6.conf.$BR.disable_ipv6=1" || true
    ip addr add "$GW/24" dev "$BR"
    ip link set "$BR" mtu "$MTU" up
}

# the external (provider) network's bridge; this machine is its router (.1), as an upstream
# router is for a real cloud, so a floating IP can be reached from here
ext_bridge_up() {
    ip link show "$EXT_BR" > /dev/null 2>&1 && { ip link set "$EXT_BR" mtu "$MTU"; return 0; }
    check_range_free "$EXT_NET" "$EXT_BR"
    ip link add "$EXT_BR" address "$(mac_of "$EXT_GW")" type bridge
    sysctl -qw "net.ipv6.conf.$EXT_BR.disable_ipv6=1" || true
    ip addr add "$EXT_GW/24" dev "$EXT_BR"
    ip link set "$EXT_BR" mtu "$MTU" up
}

wait_ready() { # I...
    local deadline=$((SECONDS + 120)) pending i hd
    while :; do
        pending=()
        for i in "$@"; do
            hd=$(host_dir "$i")
            recorded_alive "$hd/init.pid" > /dev/null || die "node$i died; see $hd/log/"
            if grep -qs '^failed' "$hd/log/ready"; then die "node$i failed; see $hd/log/"; fi
            grep -qs '^ready' "$hd/log/ready" && hssh "$i" true 2> /dev/null || pending+=("$i")
        done
        ((${#pending[@]} == 0)) && return 0
        ((SECONDS < deadline)) || die "timeout waiting for node${pending[*]}"
        sleep 0.2
    done
}

push_image_once() {
    [[ $DO_REG == 1 && $DO_DOCKER == 1 ]] || return 0
    curl --noproxy '*' -sf --max-time 3 "http://${GW}:${REG_PORT}/v2/testbed/busybox/tags/list" 2>/dev/null \
        | grep -q latest && return 0
    local i
    for ((i = 1; i <= TB_N; i++)); do
        host_is_bare "$i" && continue
        hssh "$i" "docker tag $IMAGE ${GW}:${REG_PORT}/$IMAGE && docker push -q ${GW}:${REG_PORT}/$IMAGE >/dev/null" \
            || log "WARNING: could not push $IMAGE to the registry"
        return 0
    done
}

cmd_up() {
    local n=${1:-}
    [[ $n =~ ^[0-9]+$ ]] && (( n >= 1 && n <= MAXN )) || die "usage: $0 up N   (1 <= N <= $MAXN)"
    up_checks
    mkdir -p "$DIR"
    lock
    local t0 old i sig same=0 pids=() todo=()
    t0=$(now); old=$(recorded_n); TB_N=$n; sig=$(config_signature "$n")
    [[ -f $DIR/config && $(cat "$DIR/config") == "$sig" ]] && same=1
    # hosts beyond N from an earlier `up` go away
    for ((i = n + 1; i <= old; i++)); do log "removing node$i"; host_stop "$i" & pids+=($!); done
    bridge_up
    route_ok "$(host_ip 1)" || die "route to $(host_ip 1) is not via $BR"
    [[ -f $DIR/id_ed25519 ]] || ssh-keygen -q -t ed25519 -N '' -C testbed -f "$DIR/id_ed25519"
    mkdir -p "$DIR/images" "$DIR/hosts"
    make_image_tar
    echo "$n" > "$DIR/n"
    # which hosts need (re)starting? a changed N changes /etc/hosts -> restart all
    for ((i = 1; i <= n; i++)); do
        ((same)) && sshd_stopped "$i" && recorded_alive "$(host_dir "$i")/init.pid" > /dev/null \
            && sshd_control "$i" start
        ((same)) && host_alive "$i" && continue
        [[ -d $(host_dir "$i") ]] && { host_stop "$i" & pids+=($!); }
        todo+=("$i")
    done
    for i in "${pids[@]}"; do wait "$i" || true; done
    echo "$sig" > "$DIR/config"
    save_knobs
    [[ $DO_REG == 1 ]] && registry_start
    if ((${#todo[@]})); then
        for i in "${todo[@]}"; do host_start "$i"; done
        write_inventory
        log "launched ${#todo[@]} host(s) in $(since "$t0"); waiting for sshd/dockerd"
        wait_ready "${todo[@]}"
    fi
    write_inventory
    ip -o -4 addr show dev "$BR" | grep -q " $GW/24 " || die "$GW is not on $BR"
    push_image_once
    log "up $n: ready in $(since "$t0")"
    print_inventory
}

cmd_down() {
    [[ $(id -u) == 0 ]] || die "must run as root"
    if [[ ! -d $DIR ]] && ! ip link show "$BR" > /dev/null 2>&1 && ! ip link show "$EXT_BR" > /dev/null 2>&1; then
        log "nothing to do"; return 0
    fi
    mkdir -p "$DIR"
    lock
    local t0 i n d ns left pids=()
    t0=$(now); n=$(recorded_n)
    # host dirs that exist even if n was lost
    for d in "$DIR"/hosts/node*; do
        [[ -d $d ]] || continue
        i=${d##*/node}; [[ $i =~ ^[0-9]+$ ]] && (( i > n )) && n=$i
    done
    # stop hosts in parallel (each waits for its dockerd to stop containers)
    for ((i = 1; i <= n; i++)); do host_stop "$i" & pids+=($!); done
    stop_recorded "$DIR/registry.pid" 10 & pids+=($!)
    stop_recorded "$DIR/aptrepo.pid" 5 & pids+=($!)    # tests/testbed/aptrepo.sh's web server
    for i in "${pids[@]}"; do wait "$i" || true; done
    ((n)) && log "stopped $n host(s) in $(since "$t0")"
    # netns with our exact names that were not in the state (e.g. a crash before recording)
    for ns in $(ip netns list 2> /dev/null | awk '{print $1}' | grep -E "^${PREFIX}-node[0-9]+$" || true); do
        log "removing leftover netns $ns"
        left=$(ip netns pids "$ns" 2> /dev/null | tr '\n' ' ')
        [[ -n $left ]] && log "WARNING: $ns still has processes: $left (not killed: not recorded)"
        ip netns del "$ns"; cg_remove "$ns"
    done
    ip link show "$BR" > /dev/null 2>&1 && ip link del "$BR"
    ip link show "$EXT_BR" > /dev/null 2>&1 && ip link del "$EXT_BR"
    down_run_netns
    if findmnt -rn -o TARGET | grep -q "^$DIR"; then
        log "WARNING: something is mounted under $DIR; leaving it"
    else
        rm -rf --one-file-system "$DIR"
    fi
    rm -f "${DIR%/}.lock"
    log "down in $(since "$t0")"
}

# undo what `ip netns add` did to /run/netns, if it was not there before and is empty now
down_run_netns() {
    [[ -f $DIR/run-netns.pre ]] && [[ -z $(ls -A /run/netns 2> /dev/null) ]] || return 0
    local pre; pre=$(cat "$DIR/run-netns.pre")
    [[ $pre == *nomount* ]] && mountpoint -q /run/netns && umount /run/netns
    [[ $pre == none* ]] && rmdir /run/netns 2> /dev/null
    return 0
}

cmd_status() {
    local n i ip hd bad=0 pid ssh_ok dk reg=-
    n=$(recorded_n)
    if ((n == 0)); then echo "no test bed is up"; ip link show "$BR" > /dev/null 2>&1 && echo "(but bridge $BR exists: run down)"; return 1; fi
    recorded_alive "$DIR/registry.pid" > /dev/null && reg="up(${GW}:${REG_PORT})"
    printf '%-7s %-14s %-8s %-5s %-22s %s\n' NAME ADDRESS INIT SSH DOCKER CONTAINERS
    for ((i = 1; i <= n; i++)); do
        ip=$(host_ip "$i"); hd=$(host_dir "$i")
        pid=$(recorded_alive "$hd/init.pid" 2> /dev/null) || pid=dead
        ssh_ok=no; dk=-
        sshd_stopped "$i" && ssh_ok=stopped
        if [[ $pid != dead ]] && hssh "$i" true 2> /dev/null; then
            ssh_ok=yes
            dk=$(hssh "$i" 'docker version -f "{{.Server.Version}}" 2>/dev/null || echo -; docker ps -q 2>/dev/null | wc -l' | paste -sd' ')
        fi
        [[ $pid == dead || $ssh_ok != yes ]] && bad=1
        printf '%-7s %-14s %-8s %-5s %-22s %s\n' "node$i" "$ip" "$pid" "$ssh_ok" "${dk% *}" "${dk##* }"
    done
    echo "registry: $reg   key: $DIR/id_ed25519   ssh config: $DIR/ssh_config"
    return $bad
}

main() {
    local c=${1:-}; shift || true
    export TESTBED_DIR=$DIR TESTBED_PREFIX=$PREFIX TESTBED_NET=$NET
    case $c in
        __init) host_init "$@" ;;
        __stage2) host_stage2 "$@" ;;
        deps) cmd_deps ;;
        up) check_net_param; cmd_up "$@" ;;
        down) check_net_param; cmd_down ;;
        status) check_net_param; cmd_status ;;
        inventory) print_inventory ;;
        ssh) check_net_param; local h=${1:?node}; shift; hssh "$(node_index "$h")" "$@" ;;
        logs) local h=${1:?node}; tail -n 50 "$(host_dir "$(node_index "$h")")"/log/*.log ;;
        stop-sshd) check_net_param; sshd_control "$(node_index "${1:?node}")" stop ;;
        start-sshd) check_net_param; sshd_control "$(node_index "${1:?node}")" start ;;
        *) sed -n '2,13p' "$SELF" | sed 's/^# \{0,1\}//'; [[ -z $c ]] && exit 0 || exit 2 ;;
    esac
}
main "$@"
