# shellcheck shell=bash
# Starting and stopping hosts, their sshd, and the registry (main namespace).
# Sourced by testbed.sh.

host_alive() { # I: init pid alive, host ready, and sshd answers
    local i=$1 hd; hd=$(host_dir "$i")
    recorded_alive "$hd/init.pid" >/dev/null || return 1
    grep -qs '^ready' "$hd/log/ready" || return 1
    hssh "$i" true 2>/dev/null
}

host_start() { # I
    local i=$1 ns hd ip name
    ns=$(host_ns "$i"); hd=$(host_dir "$i"); ip=$(host_ip "$i"); name="node$i"
    write_host_files "$i"
    ip netns add "$ns"
    ip link add "$ns" type veth peer name eth0 address "$(mac_of "$ip")" netns "$ns"
    ip neigh flush to "$ip" dev "$BR" 2> /dev/null || true
    ip link set "$ns" master "$BR"
    ip link set "$ns" up
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "$ip/24" dev eth0
    ip link set "$ns" mtu "$MTU"
    ip -n "$ns" link set eth0 mtu "$MTU" up
    # eth1: the external network's port, no address (neutron bridges it)
    ip link add "${ns}x" type veth peer name eth1 address "$(mac_of "$(host_ext_ip "$i")")" netns "$ns"
    ip link set "${ns}x" master "$EXT_BR"
    ip link set "${ns}x" mtu "$MTU" up
    ip -n "$ns" link set eth1 mtu "$MTU" up
    cg_make "$ns"
    # a new session; join the host's cgroups, then its netns, then new
    # cgroup/mount/uts/ipc/pid namespaces whose PID 1 runs host_init.
    # Not `ip netns exec`: it remounts /sys and dockerd then loses its cgroups.
    # shellcheck disable=SC2016,SC2046
    setsid "${SAFE_ENV[@]}" TESTBED_DIR="$DIR" TESTBED_PREFIX="$PREFIX" TESTBED_NET="$NET" bash -c '
        for h in "${@:5}"; do echo $$ > "$h/$1/cgroup.procs"; done
        exec nsenter --net="/run/netns/$1" -- \
            unshare --cgroup --mount --uts --ipc --pid --fork --kill-child --propagation private -- \
            bash "$2" __init "$3" "$4"' _ "$ns" "$SELF" "$name" "$hd" $(cg_hier) \
        > "$hd/log/init.log" 2>&1 < /dev/null 9>&- &
    # host_init writes init.pid (PID 1 of the host, as seen from here) and unshare.pid;
    # `$!` is not it (setsid forks when the caller has job control)
    local k
    for ((k = 0; k < 200; k++)); do [[ -s $hd/init.pid ]] && return 0; sleep 0.05; done
    die "$name: host init did not start (see $hd/log/init.log)"
}

host_stop() { # I
    local i=$1 ns hd
    ns=$(host_ns "$i"); hd=$(host_dir "$i")
    # TERM to PID 1 (tini) -> stage2 stops dockerd (which stops containers) and sshd;
    # when PID 1 exits the kernel kills whatever is left in the pid namespace.
    # (the unshare parent blocks TERM while it waits, so it is not the one to signal)
    stop_recorded "$hd/init.pid" 30
    stop_recorded "$hd/unshare.pid" 10
    # Last resort: processes still in the cgroup that `up` made for this host can
    # only descend from what it started there (e.g. if the pid files were lost).
    local cg=/sys/fs/cgroup/pids/$ns left k
    if [[ -d $cg ]]; then
        for ((k = 0; k < 3; k++)); do
            left=$(find "$cg" -name cgroup.procs -exec cat {} + 2> /dev/null | tr '\n' ' ')
            [[ -z ${left// /} ]] && break
            log "WARNING: $ns: killing leftover processes of its own cgroup: $left"
            # shellcheck disable=SC2086
            kill -KILL $left 2> /dev/null || true
            sleep 0.5
        done
    fi
    # test the path, not `ip netns list`: that errors while another netns is being deleted
    if [[ -e /run/netns/$ns ]]; then
        left=$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ')
        [[ -n $left ]] && log "WARNING: $ns still has processes: $left (not killed: not recorded)"
        ip netns del "$ns"
    fi
    ip link del "$ns" 2> /dev/null || true   # normally already gone with the netns
    ip link del "${ns}x" 2> /dev/null || true
    cg_remove "$ns"
    if [[ -d $hd ]]; then
        if findmnt -rn -o TARGET | grep -q "^$hd"; then
            log "WARNING: something is mounted under $hd; not deleting it"
        else
            rm -rf --one-file-system "$hd"
        fi
    fi
}

# sshd_control I stop|start: through the host's recorded PID 1; tini forwards the signal to
# stage2, which stops/starts sshd but keeps the host (and its containers) running
sshd_control() {
    local i=$1 want=$2 hd pid sig k state=
    hd=$(host_dir "$i")
    pid=$(recorded_alive "$hd/init.pid") || die "node$i is not running"
    [[ $want == stop ]] && sig=USR1 || sig=USR2
    kill -"$sig" "$pid"
    for ((k = 0; k < 100; k++)); do
        state=$(cat "$hd/log/sshd.state" 2>/dev/null || true)
        if [[ $want == stop && $state == stopped ]]; then return 0; fi
        if [[ $want == start && $state == running* ]] && hssh "$i" true 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    die "node$i: sshd did not $want (state: ${state:-unknown})"
}

sshd_stopped() { grep -qs '^stopped' "$(host_dir "$1")/log/sshd.state"; }

registry_start() {
    local f=$DIR/registry.pid
    recorded_alive "$f" > /dev/null && return 0
    mkdir -p "$DIR/registry"
    # our own config: Debian's default one turns on htpasswd auth
    printf '%s\n' 'version: 0.1' 'log:' '  level: warn' 'storage:' '  filesystem:' \
        "    rootdirectory: $DIR/registry" '  delete:' '    enabled: true' 'http:' \
        "  addr: ${GW}:${REG_PORT}" > "$DIR/registry.yml"
    # the pid is written by the process itself ($! is not it when setsid forks)
    rm -f "$DIR/registry.pid.raw"
    # shellcheck disable=SC2016
    setsid "${SAFE_ENV[@]}" bash -c 'echo $$ > "$1"; exec docker-registry serve "$2"' _ \
        "$DIR/registry.pid.raw" "$DIR/registry.yml" > "$DIR/registry.log" 2>&1 < /dev/null 9>&- &
    local k; for ((k = 0; k < 100; k++)); do [[ -s $DIR/registry.pid.raw ]] && break; sleep 0.05; done
    [[ -s $DIR/registry.pid.raw ]] || die "registry did not start (see $DIR/registry.log)"
    record "$f" "$(cat "$DIR/registry.pid.raw")"; rm -f "$DIR/registry.pid.raw"
}
