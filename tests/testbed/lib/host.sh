# shellcheck shell=bash
# What runs INSIDE a test host: __init (PID 1 of the host's namespaces, builds its root)
# and __stage2 (runs and supervises sshd and dockerd). Sourced by testbed.sh.

# __init NODE HOSTDIR: already in the host's netns; builds the root, then pivots into it
host_init() {
    local H=$1 HD=$2 R me parent
    # record our PID and our parent's (unshare) as the main pid namespace sees them:
    # /proc is still the main namespace's procfs here
    read -r -a me < /proc/self/stat
    read -r -a parent < "/proc/${me[3]}/stat"
    echo "${parent[0]} ${parent[21]}" > "$HD/unshare.pid"
    echo "${me[0]} ${me[21]}" > "$HD/init.pid.tmp" && mv "$HD/init.pid.tmp" "$HD/init.pid"
    # shellcheck disable=SC1091
    source "$HD/host.env"
    mount --make-rprivate /
    R=$HD/root
    host_mount_root "$HD" "$R"
    host_identity "$H" "$HD" "$R"
    # the state directory (client key, other hosts' data) is not for the hosts' eyes
    [[ -d $R$DIR ]] && mount -t tmpfs -o size=1m,mode=700 hidden "$R$DIR"
    cd "$R"
    mkdir -p .oldroot
    pivot_root . .oldroot
    cd /
    umount -l /.oldroot
    rmdir /.oldroot
    # like a systemd host: mounts are shared (kolla uses -v /run:/run:shared);
    # the peer groups are new and local to this host's mount namespace
    mount --make-rshared /
    [[ -n $TB_SUDO_USER ]] && host_add_sudo_user "$TB_SUDO_USER"
    [[ $TB_BARE == 1 ]] && host_hide_engines
    exec /usr/bin/tini -s -- /bin/bash /usr/local/lib/kolla-testbed/testbed.sh __stage2
}

# overlay root (lower = this machine's /, upper = tmpfs) plus the host's own /proc, /sys,
# cgroups, /run, /tmp, /dev/shm; docker's data on ext4 because overlay2 cannot sit on overlay
host_mount_root() { # HD R
    local HD=$1 R=$2 h c
    mount -t tmpfs -o size=4g,mode=755 tmpfs "$HD/rw"
    mkdir -p "$HD/rw/upper" "$HD/rw/work"
    mount -t overlay overlay -o "lowerdir=/,upperdir=$HD/rw/upper,workdir=$HD/rw/work" "$R"
    mount -t proc proc "$R/proc"
    mount --bind "$R/proc/sys" "$R/proc/sys"
    mount --bind "$R/proc/sys/net" "$R/proc/sys/net"       # per-netns: stays writable
    mount -o remount,bind,ro "$R/proc/sys"
    mount -t sysfs -o ro sysfs "$R/sys"                    # /sys/class/net = this netns
    mount -t tmpfs -o mode=755 cgroup_root "$R/sys/fs/cgroup"
    # we are in our own cgroup namespace rooted at /<prefix>-nodeI: fresh mounts of
    # each hierarchy show only that subtree (like docker-in-docker)
    while read -r h c; do
        mkdir -p "$R/sys/fs/cgroup/$h"
        if [[ $c == cgroup2 ]]; then mount -t cgroup2 cgroup2 "$R/sys/fs/cgroup/$h"
        else mount -t cgroup -o "$c" cgroup "$R/sys/fs/cgroup/$h"; fi
    done < "$HD/cgroups"
    mount --rbind /dev "$R/dev"
    mount -t tmpfs -o mode=1777 shm "$R/dev/shm"
    mount -t tmpfs -o mode=755 run "$R/run"
    mount -t tmpfs -o mode=1777 tmp "$R/tmp"
    mkdir -p "$R/var/lib/docker" "$R/var/lib/containers" "$R/var/log/testbed" \
             "$R/run/sshd" "$R/root/.ssh" "$R/etc/docker" "$R/etc/testbed"
    mount --bind "$HD/docker" "$R/var/lib/docker"
    mount --bind "$HD/containers" "$R/var/lib/containers"
    mount --bind "$HD/log" "$R/var/log/testbed"
}

host_identity() { # H HD R: hostname, keys, configs and this script for stage2
    local H=$1 HD=$2 R=$3 f
    hostname "$H"
    echo "$H" > "$R/etc/hostname"
    cp "$HD/hosts" "$R/etc/hosts"
    # no DNS: names come from /etc/hosts; a lookup miss fails on the host's own loopback
    rm -f "$R/etc/resolv.conf"; printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' > "$R/etc/resolv.conf"
    tr -d '-' < /proc/sys/kernel/random/uuid > "$R/etc/machine-id"
    rm -f "$R"/etc/ssh/ssh_host_*
    cp "$HD/ssh_host_ed25519_key" "$HD/ssh_host_ed25519_key.pub" "$R/etc/ssh/"
    cp "$HD/sshd_config" "$R/etc/ssh/sshd_config"
    install -m 600 "$HD/authorized_keys" "$R/root/.ssh/authorized_keys"
    # a server's plain root shell: the deploy machine's own ~/.bashrc (pyenv and the like)
    # would add ~0.1 s to every SSH session and skew every timing
    for f in .bashrc .profile; do [[ -f /etc/skel/$f ]] && cp "/etc/skel/$f" "$R/root/$f"; done
    cp "$HD/daemon.json" "$R/etc/docker/daemon.json"
    [[ -f $HD/testbed-runc ]] && install -m 755 "$HD/testbed-runc" "$HD/testbed-runc-fix" "$R/usr/local/sbin/"
    cp "$HD/host.env" "$R/etc/testbed/host.env"
    mkdir -p "$R/var/lib/testbed" "$R/usr/local/lib/kolla-testbed"
    cp "$DIR/images/busybox-rootfs.tar" "$R/var/lib/testbed/"
    # the script itself: the machine's / is the lower layer, but other mounts (where the
    # checkout may live) are not part of the overlay
    cp -r "$HERE/testbed.sh" "$HERE/lib" "$R/usr/local/lib/kolla-testbed/"
}

# a non-root user with the same key and passwordless sudo, as on hosts where root login is off
host_add_sudo_user() { # NAME
    local u=$1
    useradd -m -s /bin/bash "$u"
    usermod -p '*' "$u"        # "!" (locked) would make sshd refuse the key
    install -d -m 700 -o "$u" -g "$u" "/home/$u/.ssh"
    install -m 600 -o "$u" -g "$u" /root/.ssh/authorized_keys "/home/$u/.ssh/authorized_keys"
    echo "$u ALL=(ALL) NOPASSWD:ALL" > "/etc/sudoers.d/testbed-$u"
    chmod 440 "/etc/sudoers.d/testbed-$u"
}

# a server without a container engine (for bootstrap-servers): the engine packages are removed
# from this host's dpkg database and files (whiteouts in its upper layer only), so installing
# them again is a real install. It has no package sources either, like an offline server whose
# repository bootstrap-servers configures (tests/testbed/aptrepo.sh serves one).
host_hide_engines() {
    local d b pkgs=()
    for b in docker.io containerd podman; do
        [[ $(dpkg-query -W -f '${db:Status-Status}' "$b" 2>/dev/null) == installed ]] && pkgs+=("$b")
    done
    if ((${#pkgs[@]})); then
        DEBIAN_FRONTEND=noninteractive dpkg --remove --force-depends "${pkgs[@]}" \
            > /var/log/testbed/bare-dpkg.log 2>&1 || true
    fi
    # binaries no package owns (e.g. a docker CLI in /usr/local)
    for d in /usr/local/sbin /usr/local/bin /usr/sbin /usr/bin; do
        for b in docker dockerd docker-proxy podman containerd; do
            [[ -e $d/$b || -L $d/$b ]] && rm -f "${d:?}/$b"
        done
    done
    rm -f /etc/docker/daemon.json /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
        /etc/apt/sources.list.d/*.sources
    return 0
}

# __stage2: child of tini inside the host's root; runs and supervises sshd (+dockerd).
# Signals (tini forwards them): USR1 = stop sshd (host stays up), USR2 = start it again.
host_stage2() {
    # shellcheck disable=SC1091
    source /etc/testbed/host.env
    L=/var/log/testbed SSHD= DOCKERD=
    sshd_start
    if [[ $TB_DOCKER == 1 ]]; then
        dockerd >> "$L/dockerd.log" 2>&1 &
        DOCKERD=$!
    fi
    trap stage2_stop TERM INT
    trap sshd_stop USR1
    trap sshd_start USR2
    if stage2_prepare_images; then echo "ready $(date +%T)" > "$L/ready"; else echo failed > "$L/ready"; fi
    stage2_supervise
}

sshd_start() {
    [[ -n $SSHD ]] && kill -0 "$SSHD" 2>/dev/null && return 0
    /usr/sbin/sshd -D -e -f /etc/ssh/sshd_config >> "$L/sshd.log" 2>&1 &
    SSHD=$!
    echo "running $SSHD" > "$L/sshd.state"
}
sshd_stop() {
    echo stopped > "$L/sshd.state.tmp"
    if [[ -n $SSHD ]] && kill -TERM "$SSHD" 2>/dev/null; then wait "$SSHD" 2>/dev/null || true; fi
    SSHD=
    mv "$L/sshd.state.tmp" "$L/sshd.state"
}

stage2_stop() {
    trap '' TERM INT
    if [[ $TB_PODMAN == 1 ]]; then timeout 15 podman stop -a -t 2 >/dev/null 2>&1 || true; fi
    if [[ -n $DOCKERD ]]; then
        kill -TERM "$DOCKERD" 2>/dev/null   # dockerd stops its containers (shutdown-timeout)
        local i; for ((i = 0; i < 200; i++)); do kill -0 "$DOCKERD" 2>/dev/null || break; sleep 0.1; done
    fi
    if [[ -n $SSHD ]]; then kill -TERM "$SSHD" 2>/dev/null || true; fi
    echo "stopped $(date +%T)" >> "$L/stage2.log"
    exit 0
}

stage2_prepare_images() {
    local i
    if [[ -n $DOCKERD ]]; then
        for ((i = 0; i < 300; i++)); do docker info >/dev/null 2>&1 && break; sleep 0.1; done
        docker info >/dev/null 2>&1 || return 1
        if ! docker image inspect "$TB_IMAGE" >/dev/null 2>&1; then
            docker import -c 'CMD ["/bin/sh"]' /var/lib/testbed/busybox-rootfs.tar "$TB_IMAGE" \
                >> "$L/stage2.log" 2>&1 || return 1
        fi
    fi
    if [[ $TB_PODMAN == 1 ]]; then
        podman import -q -c 'CMD ["/bin/sh"]' /var/lib/testbed/busybox-rootfs.tar "$TB_IMAGE" \
            >> "$L/stage2.log" 2>&1 || return 1
    fi
    return 0
}

# docker.io installed on a bare host (dpkg has configured it: no half-unpacked binaries):
# from now on it is supervised like the dockerd of the other hosts
stage2_adopt_dockerd() {
    command -v dockerd >/dev/null || return 0
    [[ $(dpkg-query -W -f '${db:Status-Status}' docker.io 2>/dev/null) == installed ]] || return 0
    echo "dockerd installed; starting it $(date +%T)" >> "$L/stage2.log"
    dockerd >> "$L/dockerd.log" 2>&1 &
    DOCKERD=$!
}

# sshd gone on its own -> the host stops; dockerd gone -> start it again, so "restart
# docker" on a host is `kill $(cat /run/docker.pid)` (there is no systemd here)
stage2_supervise() {
    while :; do
        # a bare host gets a dockerd once bootstrap-servers installed one: look every second
        if [[ $TB_BARE == 1 && -z $DOCKERD ]]; then
            stage2_adopt_dockerd
            [[ -z $DOCKERD ]] && { sleep 1 & }
        fi
        wait -n 2>/dev/null || true
        if [[ -n $SSHD ]] && ! kill -0 "$SSHD" 2>/dev/null; then
            echo "sshd exited" >> "$L/stage2.log"; stage2_stop
        fi
        if [[ -n $DOCKERD ]] && ! kill -0 "$DOCKERD" 2>/dev/null; then
            echo "dockerd exited $(date +%T); starting it again" >> "$L/stage2.log"
            sleep 1
            dockerd >> "$L/dockerd.log" 2>&1 &
            DOCKERD=$!
        fi
        # no child left to wait for (sshd stopped on purpose, no dockerd): do not spin
        [[ -z $SSHD && -z $DOCKERD ]] && sleep 0.5
    done
}
