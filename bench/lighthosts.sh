#!/usr/bin/env bash
# lighthosts.sh - hundreds of LIGHTWEIGHT hosts for the scale benchmark (a SIMULATION, never used
# by correctness tests). Each host lhI is a network namespace with its own address, an overlay of
# this machine's / (writes stay private, in a small tmpfs) and a real OpenSSH sshd; there is no
# container engine: `docker` on the host is bench/sim/docker, which answers the read-only calls the
# planner makes from outputs recorded on a real test-bed host.
#
#   lighthosts.sh up N RECORDING   make lh1..lhN (RECORDING: dir made by the bench runner with
#                                  containers/*.json and image-ls.txt; @@HOST_IP@@ = the host's IP)
#   lighthosts.sh status           how many hosts run
#   lighthosts.sh down             remove everything `up` made (idempotent)
#
# Environment: LIGHT_DIR (state, default /var/tmp/kd-bench-light), LIGHT_PREFIX (netns/link prefix,
# default kbl), LIGHT_NET (first three octets of a /22 inside 198.18.0.0/15, default 198.19.200).
# Network rule: only addresses of our own bridge are used, checked with `ip route get` before use.
# Processes are signalled only by the PIDs this script recorded, checked against their start time.
set -euo pipefail

SELF=$(readlink -f "${BASH_SOURCE[0]}")
HERE=$(dirname "$SELF")
DIR=${LIGHT_DIR:-/var/tmp/kd-bench-light}
PREFIX=${LIGHT_PREFIX:-kbl}
NET=${LIGHT_NET:-198.19.200}
BR="${PREFIX}-br0"
GW="${NET}.1"
MAXN=1000
# every light host's processes are accounted in this cgroup, so the runner can tell the simulated
# hosts' CPU (they share this machine's cores with the controller) from the controller's
CG=/sys/fs/cgroup/cpuacct/${PREFIX}-light

log() { printf '[lighthosts %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

check_params() {
    [[ $NET =~ ^198\.(18|19)\.([0-9]{1,3})$ ]] && (( BASH_REMATCH[2] % 4 == 0 && BASH_REMATCH[2] <= 252 )) \
        || die "LIGHT_NET=$NET must be 198.18.X or 198.19.X with X a multiple of 4 (a /22 inside 198.18.0.0/15)"
    [[ $PREFIX =~ ^[a-z][a-z0-9]{0,4}$ ]] || die "LIGHT_PREFIX must be 1-5 lowercase chars"
    case $DIR in /|/etc*|/run*|/proc*|/sys*|/dev*|/usr*|/bin*|/lib*) die "unsafe LIGHT_DIR=$DIR";; esac
    [[ $(id -u) == 0 ]] || die "must run as root"
}

# host I sits at offset 10+I of the /22
host_ip() { local o=$((10 + $1)) a b c; IFS=. read -r a b c <<< "$NET"; echo "$a.$b.$((c + o / 256)).$((o % 256))"; }
host_ns() { echo "${PREFIX}-h$1"; }
host_dir() { echo "$DIR/hosts/lh$1"; }
mac_of() { local a b c d; IFS=. read -r a b c d <<< "$1"; printf '02:55:%02x:%02x:%02x:%02x' "$a" "$b" "$c" "$d"; }
route_ok() { local r; r=$(ip -o route get "$1" 2> /dev/null) || return 1; [[ $r == *" dev $BR "* ]]; }

starttime() { awk '{print $22}' "/proc/$1/stat" 2> /dev/null; }
recorded_alive() { # FILE: prints the pid if that exact process still runs (a zombie has ended)
    local pid st
    [[ -f $1 ]] && read -r pid st < "$1" || return 1
    [[ -n $pid && -n $st && "$(starttime "$pid")" == "$st" ]] || return 1
    [[ $(awk '{print $3}' "/proc/$pid/stat" 2> /dev/null) != Z ]] || return 1
    echo "$pid"
}

# refuse a /22 that any interface but ours already uses
check_range_free() {
    local a b c x line
    IFS=. read -r a b c <<< "$NET"
    for x in 0 1 2 3; do
        while read -r line; do
            [[ -z $line || $line == "$BR "* || $line == *" dev $BR "* ]] && continue
            die "address range $a.$b.$((c + x)).0/24 is already in use here: $line"
        done < <(ip -o -4 addr show | awk -v p="$a.$b.$((c + x))." 'index($4,p)==1{print $2" "$4}'
                 ip -4 route show | awk -v p="$a.$b.$((c + x))." 'index($1,p)==1')
    done
}

bridge_up() {
    ip link show "$BR" > /dev/null 2>&1 && return 0
    check_range_free
    ip link add "$BR" address "$(mac_of "$GW")" type bridge
    sysctl -qw "net.ipv6.conf.$BR.disable_ipv6=1" || true
    ip addr add "$GW/22" dev "$BR"
    ip link set "$BR" up
}

client_files() { # the client key, the one host key every light host shares, the sshd config
    [[ -f $DIR/id_ed25519 ]] || ssh-keygen -q -t ed25519 -N '' -C kd-bench-client -f "$DIR/id_ed25519"
    [[ -f $DIR/ssh_host_ed25519_key ]] || ssh-keygen -q -t ed25519 -N '' -C kd-bench-light -f "$DIR/ssh_host_ed25519_key"
    cat > "$DIR/sshd_config" <<'EOT'
Port 22
ListenAddress 0.0.0.0
HostKey /etc/ssh/ssh_host_ed25519_key
PidFile none
PermitRootLogin prohibit-password
PubkeyAuthentication yes
AuthorizedKeysFile .ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
MaxSessions 64
MaxStartups 64:30:128
Subsystem sftp /usr/lib/openssh/sftp-server
LogLevel VERBOSE
EOT
}

# Runs inside the host's new mount+uts namespaces (already in its netns): builds the overlay root,
# records its own PID and becomes sshd in a chroot of that root.
host_inner() { # I HOSTDIR RECORDING IP
    local i=$1 hd=$2 rec=$3 ip=$4 r=$2/root
    hostname "lh$i"
    mount -t tmpfs -o size=64m,mode=755 tmpfs "$hd/rw"
    mkdir -p "$hd/rw/upper" "$hd/rw/work"
    mount -t overlay overlay -o "lowerdir=/,upperdir=$hd/rw/upper,workdir=$hd/rw/work" "$r"
    mount -t proc proc "$r/proc"
    mount -t sysfs -o ro sysfs "$r/sys" 2> /dev/null || true
    mount --rbind /dev "$r/dev"
    mount -t tmpfs -o mode=755 run "$r/run"
    mount -t tmpfs -o mode=1777 tmp "$r/tmp"
    mkdir -p "$r/run/sshd" "$r/root/.ssh" "$r/var/lib/kd-docker-sim/containers"
    rm -rf "$r/etc/kolla" "$r/var/lib/kolla-deploy"
    cp "$DIR/ssh_host_ed25519_key" "$DIR/ssh_host_ed25519_key.pub" "$r/etc/ssh/"
    cp "$DIR/sshd_config" "$r/etc/ssh/sshd_config"
    install -m 600 "$DIR/id_ed25519.pub" "$r/root/.ssh/authorized_keys"
    local f; for f in .bashrc .profile; do [[ -f /etc/skel/$f ]] && cp "/etc/skel/$f" "$r/root/$f"; done
    echo "lh$i" > "$r/etc/hostname"
    # the simulator replaces every container-engine CLI on this host only
    install -m 755 "$HERE/sim/docker" "$r/usr/local/bin/docker"
    install -m 755 "$HERE/sim/docker" "$r/usr/bin/docker"
    for f in "$rec"/containers/*.json; do sed "s/@@HOST_IP@@/$ip/g" "$f" > "$r/var/lib/kd-docker-sim/containers/${f##*/}"; done
    cp "$rec/image-ls.txt" "$r/var/lib/kd-docker-sim/image-ls.txt"
    [[ -d $CG ]] && echo $$ > "$CG/cgroup.procs"
    echo "$$ $(starttime $$)" > "$hd/sshd.pid"
    exec chroot "$r" /usr/sbin/sshd -D -e -f /etc/ssh/sshd_config
}

host_start() { # I RECORDING
    local i=$1 rec=$2 ns hd ip
    ns=$(host_ns "$i"); hd=$(host_dir "$i"); ip=$(host_ip "$i")
    mkdir -p "$hd/rw" "$hd/root"
    ip netns add "$ns"
    ip link add "$ns" type veth peer name eth0 address "$(mac_of "$ip")" netns "$ns"
    ip neigh flush to "$ip" dev "$BR" 2> /dev/null || true
    ip link set "$ns" master "$BR"
    ip link set "$ns" up
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "$ip/22" dev eth0
    ip -n "$ns" link set eth0 up
    setsid env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
        LIGHT_DIR="$DIR" LIGHT_PREFIX="$PREFIX" LIGHT_NET="$NET" \
        nsenter --net="/run/netns/$ns" -- unshare --mount --uts --propagation private -- \
        bash "$SELF" __inner "$i" "$hd" "$rec" "$ip" > "$hd/sshd.log" 2>&1 < /dev/null &
}

wait_listening() { # N
    local deadline=$((SECONDS + 120)) i pending
    while :; do
        pending=0
        for ((i = 1; i <= $1; i++)); do grep -qs 'Server listening on 0.0.0.0' "$(host_dir "$i")/sshd.log" || pending=$((pending + 1)); done
        ((pending == 0)) && return 0
        ((SECONDS < deadline)) || die "$pending host(s) did not start sshd (see $DIR/hosts/lh*/sshd.log)"
        sleep 0.3
    done
}

write_inventory() { # N: inventory.json for the runner, known_hosts for the clients
    local n=$1 i first=1
    for ((i = 1; i <= n; i++)); do echo "$(host_ip "$i") $(cut -d' ' -f1,2 < "$DIR/ssh_host_ed25519_key.pub")"; done > "$DIR/known_hosts"
    {
        printf '{\n  "simulation": true,\n  "cpuacct": "%s",\n  "bridge": "%s",\n  "gateway": "%s",\n  "sshKey": "%s",\n  "knownHosts": "%s",\n  "hosts": [' \
            "$([[ -d $CG ]] && echo "$CG")" "$BR" "$GW" "$DIR/id_ed25519" "$DIR/known_hosts"
        for ((i = 1; i <= n; i++)); do
            ((first)) || printf ','; first=0
            printf '\n    {"name": "lh%d", "address": "%s"}' "$i" "$(host_ip "$i")"
        done
        printf '\n  ]\n}\n'
    } > "$DIR/inventory.json"
    echo "$n" > "$DIR/n"
}

cmd_up() { # N RECORDING
    local n=${1:-} rec=${2:-} t0=$SECONDS i
    [[ $n =~ ^[0-9]+$ ]] && (( n >= 1 && n <= MAXN )) || die "usage: $0 up N RECORDING (1 <= N <= $MAXN)"
    [[ -d $rec/containers && -f $rec/image-ls.txt ]] || die "RECORDING=$rec has no containers/ or image-ls.txt"
    rec=$(readlink -f "$rec")
    local avail; avail=$(awk '/MemAvailable/{print int($2/1024)}' /proc/meminfo)
    (( avail > n * 12 + 1024 )) || die "only ${avail} MiB available; $n light hosts need about $((n * 12 + 1024)) MiB"
    cmd_down_quiet
    mkdir -p "$DIR/hosts"
    bridge_up
    route_ok "$(host_ip 1)" && route_ok "$(host_ip "$n")" || die "route to $(host_ip 1)..$(host_ip "$n") is not via $BR"
    client_files
    if [[ -d /sys/fs/cgroup/cpuacct ]]; then mkdir -p "$CG"; else log "no cpuacct cgroup: hosts' CPU will not be reported"; fi
    for ((i = 1; i <= n; i++)); do host_start "$i" "$rec"; done
    wait_listening "$n"
    write_inventory "$n"
    log "up $n light host(s) in $((SECONDS - t0)) s ($(host_ip 1) .. $(host_ip "$n"))"
}

host_stop() { # I
    local i=$1 ns hd pid k
    ns=$(host_ns "$i"); hd=$(host_dir "$i")
    if pid=$(recorded_alive "$hd/sshd.pid"); then
        kill -TERM "$pid" 2> /dev/null || true
        for ((k = 0; k < 50; k++)); do recorded_alive "$hd/sshd.pid" > /dev/null || break; sleep 0.1; done
        pid=$(recorded_alive "$hd/sshd.pid") && kill -KILL "$pid" 2> /dev/null || true
    fi
    if [[ -e /run/netns/$ns ]]; then
        local left; left=$(ip netns pids "$ns" 2> /dev/null | tr '\n' ' ')
        [[ -n ${left// /} ]] && log "WARNING: $ns still has processes: $left (not killed: not recorded)"
        ip netns del "$ns"
    fi
    ip link del "$ns" 2> /dev/null || true
}

cmd_down_quiet() {
    local d i
    [[ -d $DIR/hosts ]] || { ip link show "$BR" > /dev/null 2>&1 && ip link del "$BR"; return 0; }
    local pids=() p
    for d in "$DIR"/hosts/lh*; do
        [[ -d $d ]] || continue
        i=${d##*/lh}; [[ $i =~ ^[0-9]+$ ]] || continue
        host_stop "$i" & pids+=($!)
        # a few dozen at a time: each is a handful of ip(8) calls and one sshd to end
        if ((${#pids[@]} >= 25)); then for p in "${pids[@]}"; do wait "$p" || true; done; pids=(); fi
    done
    for p in "${pids[@]}"; do wait "$p" || true; done
    ip link show "$BR" > /dev/null 2>&1 && ip link del "$BR"
    [[ -d $CG ]] && { rmdir "$CG" 2> /dev/null || log "WARNING: $CG not removable (processes left?)"; }
    rm -rf --one-file-system "$DIR/hosts" "$DIR/inventory.json" "$DIR/known_hosts" "$DIR/n"
}

cmd_down() {
    local t0=$SECONDS
    cmd_down_quiet
    rm -rf --one-file-system "$DIR"
    log "down in $((SECONDS - t0)) s"
}

cmd_status() {
    local n i up=0
    n=$(cat "$DIR/n" 2> /dev/null || echo 0)
    for ((i = 1; i <= n; i++)); do recorded_alive "$(host_dir "$i")/sshd.pid" > /dev/null && up=$((up + 1)); done
    echo "$up of $n light hosts have sshd running (bridge $BR, $DIR)"
    ((up == n))
}

main() {
    local c=${1:-}; shift || true
    case $c in
        __inner) host_inner "$@" ;;
        up) check_params; cmd_up "$@" ;;
        down) check_params; cmd_down ;;
        status) cmd_status ;;
        *) sed -n '2,18p' "$SELF" | sed 's/^# \{0,1\}//'; [[ -z $c ]] && exit 0 || exit 2 ;;
    esac
}
main "$@"
