# shellcheck shell=bash
# The files a host is built from (written in the main namespace, under $DIR/hosts/nodeI)
# and the busybox image. Sourced by testbed.sh.

write_host_files() { # I
    local i=$1 hd; hd=$(host_dir "$i")
    local name="node$i"
    mkdir -p "$hd"/{rw,root,docker,containers,log}
    ssh-keygen -q -t ed25519 -N '' -C "$name" -f "$hd/ssh_host_ed25519_key" <<< y > /dev/null
    cp "$DIR/id_ed25519.pub" "$hd/authorized_keys"
    write_sshd_config > "$hd/sshd_config"
    write_daemon_json "$hd"
    {
        printf '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n'
        printf '%s testbed-gw registry\n' "$GW"
        local j; for ((j = 1; j <= TB_N; j++)); do printf '%s node%d\n' "$(host_ip "$j")" "$j"; done
    } > "$hd/hosts"
    local docker=$DO_DOCKER podman=$DO_PODMAN bare=0 sudo_user=
    if host_is_bare "$i"; then docker=0 podman=0 bare=1; fi
    host_has_sudo_user "$i" && sudo_user=$TESTBED_SUDO_USER
    cat > "$hd/host.env" <<EOT
TB_NAME=$name
TB_DOCKER=$docker
TB_PODMAN=$podman
TB_BARE=$bare
TB_SUDO_USER=$sudo_user
TB_IMAGE=$IMAGE
TB_REGISTRY=${GW}:${REG_PORT}
EOT
    write_cgroup_list > "$hd/cgroups"
}

host_is_bare() { in_node_list "$1" "${TESTBED_BARE:-}"; }
host_has_sudo_user() {
    [[ -n ${TESTBED_SUDO_USER:-} ]] && in_node_list "$1" "${TESTBED_SUDO_HOSTS:-}" all
}

write_sshd_config() {
    cat <<'EOT'
Port 22
ListenAddress 0.0.0.0
HostKey /etc/ssh/ssh_host_ed25519_key
PidFile /run/sshd.pid
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
AcceptEnv LANG LC_*
LogLevel VERBOSE
EOT
}

write_daemon_json() { # HOSTDIR
    local hd=$1 rt=
    if [[ -n $(missing_caps) ]]; then
        write_runc_wrapper "$hd/testbed-runc"
        rt='  "runtimes": {"testbed-runc": {"path": "/usr/local/sbin/testbed-runc"}},
  "default-runtime": "testbed-runc",'
    fi
    cat > "$hd/daemon.json" <<EOT
{${rt:+
$rt}
  "bridge": "none",
  "iptables": false,
  "ip-masq": false,
  "ip-forward": false,
  "insecure-registries": ["${GW}:${REG_PORT}", "registry:${REG_PORT}"],
  "storage-driver": "overlay2",
  "shutdown-timeout": 5,
  "log-driver": "json-file"
}
EOT
}

# cgroup hierarchies to mount inside the host: "<dir> <mount options>"
write_cgroup_list() {
    local h b
    for h in $(cg_hier); do
        b=${h##*/}
        case $(stat -f -c %T "$h") in
            cgroup2fs) echo "$b cgroup2" ;;
            *) awk -v t="$h" '$5==t{n=split($NF,o,",");s="";
                   for(k=1;k<=n;k++) if(o[k]!="rw") s=s (s?",":"") o[k]; print s}' /proc/self/mountinfo \
                   | head -1 | sed "s|^|$b |" ;;
        esac
    done
}

make_image_tar() {
    local out=$DIR/images/busybox-rootfs.tar r
    [[ -s $out ]] && return 0
    local bb; bb=$(command -v busybox) || die "busybox not found (apt-get install busybox-static)"
    { ldd "$bb" 2>&1 || true; } | grep -qE 'not a dynamic|statically linked' || die "$bb is not static; install busybox-static"
    r=$(mktemp -d "$DIR/images/rootfs.XXXX")
    mkdir -p "$r"/{bin,etc,tmp,proc,sys,dev,root,var/log,usr}
    cp "$bb" "$r/bin/busybox"
    local a; for a in $("$r/bin/busybox" --list); do [[ $a == busybox ]] || ln -s busybox "$r/bin/$a"; done
    ln -s ../bin "$r/usr/bin"; ln -s bin "$r/sbin"
    echo 'root:x:0:0:root:/root:/bin/sh' > "$r/etc/passwd"; echo 'root:x:0:' > "$r/etc/group"
    chmod 1777 "$r/tmp"
    tar --numeric-owner -C "$r" -cf "$out.tmp" . && mv "$out.tmp" "$out"
    rm -rf --one-file-system "$r"
}

missing_caps() {
    local bnd last i; bnd=$((16#$(awk '/^CapBnd/{print $2}' /proc/self/status)))
    last=$(cat /proc/sys/kernel/cap_last_cap)
    for ((i = 0; i <= last; i++)); do ((bnd >> i & 1)) || printf '%d ' "$i"; done
}
cap_names() { # the names of the capabilities missing from the bounding set, as RE alternatives
    local names=(CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP
        LINUX_IMMUTABLE NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER SYS_MODULE
        SYS_RAWIO SYS_CHROOT SYS_PTRACE SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE SYS_RESOURCE SYS_TIME
        SYS_TTY_CONFIG MKNOD LEASE AUDIT_WRITE AUDIT_CONTROL SETFCAP MAC_OVERRIDE MAC_ADMIN SYSLOG
        WAKE_ALARM BLOCK_SUSPEND AUDIT_READ PERFMON BPF CHECKPOINT_RESTORE) out='' i
    for i in $(missing_caps); do out+="${out:+|}${names[$i]}"; done
    printf '%s' "$out"
}
# A runtime for dockerd that drops those caps, then runs runc. Every healthcheck is a `runc exec`,
# about 2.5 a second with the whole cloud on the bed: the shell wrapper looks for a missing cap
# in the spec with grep, and starts Python (testbed-runc-fix) only for a spec that names one.
write_runc_wrapper() { # FILE (FILE-fix is written beside it)
    cat > "$1" <<EOF
#!/bin/sh
# testbed-runc: runc, after testbed-runc-fix where a spec names a capability this kernel lacks
re='"CAP_($(cap_names))"'
prev=
for a in "\$@"; do
    f=
    case \$prev in --bundle|-b) f=\$a/config.json ;; --process|-p) f=\$a ;; esac
    case \$a in --bundle=*) f=\${a#--bundle=}/config.json ;; --process=*) f=\${a#--process=} ;; esac
    if [ -n "\$f" ] && grep -qE "\$re" "\$f" 2>/dev/null; then exec /usr/local/sbin/testbed-runc-fix "\$@"; fi
    prev=\$a
done
exec runc "\$@"
EOF
    cat > "$1-fix" <<'EOF'
#!/usr/bin/python3
# testbed-runc-fix: remove capabilities missing from the bounding set, then exec runc
import json, os, sys
NAMES = ["CHOWN","DAC_OVERRIDE","DAC_READ_SEARCH","FOWNER","FSETID","KILL","SETGID","SETUID",
 "SETPCAP","LINUX_IMMUTABLE","NET_BIND_SERVICE","NET_BROADCAST","NET_ADMIN","NET_RAW","IPC_LOCK",
 "IPC_OWNER","SYS_MODULE","SYS_RAWIO","SYS_CHROOT","SYS_PTRACE","SYS_PACCT","SYS_ADMIN","SYS_BOOT",
 "SYS_NICE","SYS_RESOURCE","SYS_TIME","SYS_TTY_CONFIG","MKNOD","LEASE","AUDIT_WRITE","AUDIT_CONTROL",
 "SETFCAP","MAC_OVERRIDE","MAC_ADMIN","SYSLOG","WAKE_ALARM","BLOCK_SUSPEND","AUDIT_READ","PERFMON",
 "BPF","CHECKPOINT_RESTORE"]
bnd = int([l.split()[1] for l in open("/proc/self/status") if l.startswith("CapBnd")][0], 16)
drop = {"CAP_" + n for i, n in enumerate(NAMES) if not bnd >> i & 1}
def fix(path, key):
    try:
        with open(path) as f: spec = json.load(f)
    except OSError:
        return
    caps = (spec.get("process", {}) if key == "process" else spec).get("capabilities") or {}
    if any(c in drop for v in caps.values() for c in v or []):
        for k, v in caps.items(): caps[k] = [c for c in v or [] if c not in drop]
        with open(path, "w") as f: json.dump(spec, f)
a = sys.argv[1:]
for i, x in enumerate(a):
    if x in ("--bundle", "-b") and i + 1 < len(a): fix(os.path.join(a[i + 1], "config.json"), "process")
    elif x.startswith("--bundle="): fix(os.path.join(x.split("=", 1)[1], "config.json"), "process")
    elif x in ("--process", "-p") and i + 1 < len(a): fix(a[i + 1], "exec")
    elif x.startswith("--process="): fix(x.split("=", 1)[1], "exec")
os.execvp("runc", ["runc"] + a)
EOF
    chmod 755 "$1" "$1-fix"
}

