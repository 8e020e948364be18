#!/usr/bin/env bash
# aptrepo.sh - a local apt repository for the test bed's bare hosts (no internet there).
#
#   aptrepo.sh up [PKG...]   build the repository and serve it on the bridge address (idempotent)
#   aptrepo.sh source        print the apt source line the hosts use (deb [trusted=yes] http://...)
#   aptrepo.sh down          stop the web server (the files stay until testbed.sh down)
#
# The repository holds the .debs a bare host lacks (default: docker.io containerd podman, the
# packages TESTBED_BARE removes), at the versions installed on this machine, so that their
# dependencies are already satisfied by the hosts' root (an overlay of this machine's /).
# Each .deb comes from apt's cache when it is there, else from `apt-get download` on this machine.
# A busybox httpd serves it on ${TESTBED_NET}.1:${APTREPO_PORT:-8080}; its PID is recorded in
# $TESTBED_DIR/aptrepo.pid (testbed.sh down stops it too). Nothing is killed by name.
#
# Environment: TESTBED_DIR, TESTBED_PREFIX, TESTBED_NET (as testbed.sh), APTREPO_PORT.
set -euo pipefail

HERE=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
DIR=${TESTBED_DIR:-/var/tmp/kolla-testbed}
PREFIX=${TESTBED_PREFIX:-kt}
NET=${TESTBED_NET:-198.18.0}
BR="${PREFIX}-br0"
GW="${NET}.1"
PORT=${APTREPO_PORT:-8080}
REPO=$DIR/aptrepo
PIDFILE=$DIR/aptrepo.pid
DEFAULT_PACKAGES=(docker.io containerd podman)
SAFE_ENV=(env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8)

# shellcheck source=lib/common.sh
source "$HERE/lib/common.sh"
log() { printf '[aptrepo %s] %s\n' "$(date +%T)" "$*" >&2; }

source_line() { echo "deb [trusted=yes] http://${GW}:${PORT}/ ./"; }

# the .deb of PKG at the version installed here: from apt's cache, else downloaded
fetch_deb() { # PKG
    local pkg=$1 version arch file
    version=$(dpkg-query -W -f '${Version}' "$pkg" 2>/dev/null) || die "$pkg is not installed on this machine"
    arch=$(dpkg-query -W -f '${Architecture}' "$pkg")
    file="${pkg}_${version//:/%3a}_${arch}.deb"
    [[ -f $REPO/$file ]] && return 0
    if [[ -f /var/cache/apt/archives/$file ]]; then
        cp "/var/cache/apt/archives/$file" "$REPO/"
    else
        log "downloading $pkg=$version"
        (cd "$REPO" && apt-get download -q "$pkg=$version" >&2)
    fi
}

# a flat repository: Packages plus an unsigned Release (the source line says trusted=yes)
index_repo() {
    command -v dpkg-scanpackages > /dev/null \
        || apt-get -o DPkg::Lock::Timeout=600 install -y -q dpkg-dev >&2
    (cd "$REPO" && dpkg-scanpackages --multiversion . /dev/null 2> /dev/null > Packages)
    gzip -9nc "$REPO/Packages" > "$REPO/Packages.gz"
    {
        echo "Origin: kolla-deploy-testbed"
        echo "Label: kolla-deploy-testbed"
        echo "Date: $(LC_ALL=C date -u '+%a, %d %b %Y %H:%M:%S UTC')"
        echo "SHA256:"
        local f
        for f in Packages Packages.gz; do
            printf ' %s %s %s\n' "$(sha256sum < "$REPO/$f" | cut -d' ' -f1)" "$(stat -c %s "$REPO/$f")" "$f"
        done
    } > "$REPO/Release"
}

serve() {
    recorded_alive "$PIDFILE" > /dev/null && return 0
    ip -o -4 addr show dev "$BR" 2> /dev/null | grep -q " $GW/" || die "$GW is not on $BR (is the test bed up?)"
    rm -f "$PIDFILE.raw"
    # shellcheck disable=SC2016
    setsid "${SAFE_ENV[@]}" bash -c 'echo $$ > "$1"; exec busybox httpd -f -p "$2" -h "$3"' _ \
        "$PIDFILE.raw" "${GW}:${PORT}" "$REPO" > "$DIR/aptrepo.log" 2>&1 < /dev/null &
    local k
    for ((k = 0; k < 100; k++)); do [[ -s $PIDFILE.raw ]] && break; sleep 0.05; done
    [[ -s $PIDFILE.raw ]] || die "httpd did not start (see $DIR/aptrepo.log)"
    record "$PIDFILE" "$(cat "$PIDFILE.raw")"; rm -f "$PIDFILE.raw"
    for ((k = 0; k < 50; k++)); do
        curl --noproxy '*' -sf --max-time 2 "http://${GW}:${PORT}/Release" > /dev/null && return 0
        sleep 0.1
    done
    die "the repository does not answer on ${GW}:${PORT} (see $DIR/aptrepo.log)"
}

cmd_up() {
    [[ $(id -u) == 0 ]] || die "must run as root"
    check_net_param
    local pkgs=("$@") p
    ((${#pkgs[@]})) || pkgs=("${DEFAULT_PACKAGES[@]}")
    mkdir -p "$REPO"
    for p in "${pkgs[@]}"; do fetch_deb "$p"; done
    index_repo
    serve
    log "serving $(ls "$REPO"/*.deb | wc -l) package(s) from $REPO"
    source_line
}

cmd_down() {
    stop_recorded "$PIDFILE" 5
    log "stopped"
}

case ${1:-} in
    up) shift; cmd_up "$@" ;;
    down) cmd_down ;;
    source) source_line ;;
    *) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; [[ -z ${1:-} ]] && exit 0 || exit 2 ;;
esac
