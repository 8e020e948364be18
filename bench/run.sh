#!/usr/bin/env bash
# bench/run.sh - the whole benchmark in one command (needs root; see bench/README.md):
#   bash bench/run.sh [runner options, e.g. --repeats 11 --scale 50,100,300 --skip-ansible]
# Builds kolla-deploy, brings up a private 3-host test bed (prefix kbn, 198.18.13.0/24) with the
# stand-in images, runs bench/runner/main.ts (real hosts, then simulated light hosts), writes
# bench/RESULTS.md, bench/results.json and bench/wall-vs-hosts.svg, and takes down what it brought up
# (BENCH_KEEP_TESTBED=1 keeps the test bed for another run).
set -euo pipefail
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
log() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

export TESTBED_PREFIX=${TESTBED_PREFIX:-kbn} TESTBED_NET=${TESTBED_NET:-198.18.13}
export TESTBED_DIR=${TESTBED_DIR:-/var/tmp/kd-tb-bench} LIGHT_DIR=${LIGHT_DIR:-/var/tmp/kd-bench-light}
[[ $(id -u) == 0 ]] || die "must run as root (network namespaces, test bed)"
command -v /usr/bin/time > /dev/null || die "GNU time is missing (apt-get install time)"

if ! ansible-doc community.docker.docker_container > /dev/null 2>&1; then
    log "installing Debian's ansible (ships community.docker)"
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends ansible > /dev/null
fi

log "building kolla-deploy (npm run build)"
npm run --silent build

testbed=(bash "$here/tests/testbed/testbed.sh")
brought_up=0
[[ -f $TESTBED_DIR/inventory.json ]] || brought_up=1
cleanup() {
    local rc=$?
    LIGHT_DIR=$LIGHT_DIR bash "$here/bench/lighthosts.sh" down > /dev/null 2>&1 || true
    if ((brought_up)) && [[ ${BENCH_KEEP_TESTBED:-0} != 1 ]]; then log "test bed down"; "${testbed[@]}" down || true; fi
    exit $rc
}
trap cleanup EXIT

log "test bed up (3 hosts, $TESTBED_PREFIX on $TESTBED_NET.0/24)"
"${testbed[@]}" up 3 > /dev/null
log "stand-in kolla images"
bash "$here/tests/images/build.sh" --testbed-dir "$TESTBED_DIR" > /dev/null
log "load average now: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (numbers are only comparable on a quiet machine)"
npx tsx "$here/bench/runner/main.ts" "$@"
