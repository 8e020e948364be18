#!/usr/bin/env bash
# Builds the test bed's stand-in kolla images and pushes them to the test bed's registry.
#
#   tests/images/build.sh [--testbed-dir DIR] [--registry HOST:PORT] [--namespace NS]
#                         [--tag TAG]... [--broken-tag TAG]... [--no-broken]
#                         [--only NAME[,NAME...]] [--build-only]
#
# Every name in services.txt is pushed as <registry>/<namespace>/<name>:<tag>
# (namespace "kolla", tag "testbed" by default) plus a never-healthy variant under
# each --broken-tag ("broken" by default). Pass --tag again for more tags, e.g.
# "--tag upgrade" for upgrade tests: each tag is a distinct image id over the same
# layer. All images share one layer (busybox-static + tini-static + the kolla
# scripts in rootfs/), cached under /var/cache/kolla-deploy-images (KOLLA_IMAGES_CACHE).
# The registry defaults to "registry" in <testbed dir>/inventory.json; the testbed
# dir defaults to $TESTBED_DIR or /var/tmp/kolla-testbed. Needs root only to
# install missing Debian packages (busybox-static, tini, curl).
# Prints one pushed image reference per line on stdout; progress goes to stderr.
set -euo pipefail

IMAGES_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE_ROOT=${KOLLA_IMAGES_CACHE:-/var/cache/kolla-deploy-images}
TESTBED=${TESTBED_DIR:-/var/tmp/kolla-testbed}
REGISTRY=''
NAMESPACE=kolla
TAGS=()
BROKEN_TAGS=()
NO_BROKEN=0
ONLY=''
BUILD_ONLY=0
# Fixed, so that the same inputs give the same image ids on every machine.
CREATED=2024-01-01T00:00:00Z

log() { printf '[images %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

. "$IMAGES_DIR/lib/layer.sh"
. "$IMAGES_DIR/lib/registry.sh"

parse_args() {
    while [[ $# -gt 0 ]]; do
        case $1 in
            --testbed-dir) TESTBED=$2; shift 2 ;;
            --registry) REGISTRY=$2; shift 2 ;;
            --namespace) NAMESPACE=$2; shift 2 ;;
            --tag) TAGS+=("$2"); shift 2 ;;
            --broken-tag) BROKEN_TAGS+=("$2"); shift 2 ;;
            --no-broken) NO_BROKEN=1; shift ;;
            --only) ONLY=$2; shift 2 ;;
            --build-only) BUILD_ONLY=1; shift ;;
            -h | --help) sed -n '2,19p' "$0"; exit 0 ;;
            *) die "unknown argument '$1' (see --help)" ;;
        esac
    done
    [[ ${#TAGS[@]} -gt 0 ]] || TAGS=(testbed)
    [[ ${#BROKEN_TAGS[@]} -gt 0 ]] || BROKEN_TAGS=(broken)
    [[ $NO_BROKEN == 1 ]] && BROKEN_TAGS=()
    local t
    for t in "${TAGS[@]}" "${BROKEN_TAGS[@]}"; do
        [[ $t =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || die "invalid tag '$t'"
    done
}

# Installs what is missing; the static binaries must be static to run in the image.
ensure_tools() {
    local missing=()
    BUSYBOX=/bin/busybox; [[ -x $BUSYBOX ]] || BUSYBOX=$(command -v busybox || true)
    TINI=/usr/bin/tini-static
    [[ -n $BUSYBOX ]] && { ldd "$BUSYBOX" 2>&1 || true; } | grep -qE 'not a dynamic|statically linked' || missing+=(busybox-static)
    [[ -x $TINI ]] || missing+=(tini)
    command -v curl > /dev/null || missing+=(curl)
    if [[ ${#missing[@]} -gt 0 ]]; then
        log "installing ${missing[*]}"
        apt-get -o DPkg::Lock::Timeout=600 install -y -q "${missing[@]}" >&2
        BUSYBOX=/bin/busybox
    fi
}

registry_from_inventory() {
    local inv=$TESTBED/inventory.json
    [[ -f $inv ]] || die "no --registry given and $inv is missing (is the test bed up?)"
    REGISTRY=$(sed -n 's/^ *"registry": *"\([^"]*\)".*/\1/p' "$inv")
    [[ -n $REGISTRY ]] || die "$inv has no registry (was docker-registry installed before 'up'?)"
}

# Network rule: only loopback or a test bed address reached through a local bridge.
check_registry_route() {
    local host=${REGISTRY%:*} route dev
    [[ $host =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "registry '$REGISTRY' must be an IPv4 address:port"
    [[ $host == 127.* ]] && return 0
    [[ $host == 198.18.* || $host == 198.19.* ]] || die "refusing registry $host: not in 127.0.0.0/8 or 198.18.0.0/15"
    dev=$(ip -o addr show to "$host/32" | awk '{print $2; exit}')
    if [[ -z $dev ]]; then
        route=$(ip -o route get "$host")
        dev=$(sed -n 's/.* dev \([^ ]*\).*/\1/p' <<< "$route")
    fi
    [[ -n $dev && -d /sys/class/net/$dev/bridge ]] ||
        die "refusing registry $host: it is not reached through a test bed bridge (dev '${dev:-none}')"
}

# image_config NAME PORT TAG BROKEN: the image's config JSON, on stdout.
image_config() {
    local name=$1 port=$2 tag=$3 broken=$4
    printf '{"architecture":"%s","os":"linux","created":"%s",' "$ARCH" "$CREATED"
    printf '"config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",'
    printf '"KOLLA_BASE_DISTRO=debian","KOLLA_STANDIN_IMAGE=%s","KOLLA_STANDIN_PORT=%s",' "$name" "$port"
    printf '"KOLLA_STANDIN_TAG=%s","KOLLA_STANDIN_BROKEN=%s"],' "$tag" "$broken"
    printf '"Entrypoint":["/usr/bin/tini","-g","--"],"Cmd":["kolla_start"],'
    printf '"Labels":{"name":"%s","kolla_version":"%s","kolla-standin":"true"}},' "$name" "$tag"
    printf '"rootfs":{"type":"layers","diff_ids":["%s"]},' "$LAYER_DIFF_ID"
    printf '"history":[{"created":"%s","created_by":"tests/images/build.sh"}]}' "$CREATED"
}

manifest_for() {
    local config=$1 size digest
    size=$(stat -c %s "$config"); digest=sha256:$(sha256sum < "$config" | cut -d' ' -f1)
    printf '{"schemaVersion":2,"mediaType":"%s",' "$MANIFEST_TYPE"
    printf '"config":{"mediaType":"%s","size":%s,"digest":"%s"},' "$CONFIG_TYPE" "$size" "$digest"
    printf '"layers":[{"mediaType":"%s","size":%s,"digest":"%s"}]}' \
        "$LAYER_TYPE" "$(stat -c %s "$LAYER_GZ")" "$LAYER_DIGEST"
}

# push_image NAME PORT TAG BROKEN FIRST_REPO
push_image() {
    local name=$1 port=$2 tag=$3 broken=$4 first=$5 repo=$NAMESPACE/$1 dir
    dir=$(mktemp -d "$WORK/$name.$tag.XXXX")
    image_config "$name" "$port" "$tag" "$broken" > "$dir/config.json"
    manifest_for "$dir/config.json" > "$dir/manifest.json"
    if manifest_current "$repo" "$tag" "$dir/manifest.json"; then echo "$REGISTRY/$repo:$tag"; return 0; fi
    push_blob "$repo" "$LAYER_DIGEST" "$LAYER_GZ" "$first"
    push_blob "$repo" "sha256:$(sha256sum < "$dir/config.json" | cut -d' ' -f1)" "$dir/config.json"
    push_manifest "$repo" "$tag" "$dir/manifest.json"
    echo "$REGISTRY/$repo:$tag"
}

# One line per image to push: name port tag broken.
image_list() {
    local name port t
    while read -r name port; do
        [[ -z $name || $name == \#* ]] && continue
        [[ -n $ONLY && ",$ONLY," != *",$name,"* ]] && continue
        for t in "${TAGS[@]}"; do echo "$name $port $t 0"; done
        for t in "${BROKEN_TAGS[@]}"; do echo "$name $port $t 1"; done
    done < "$IMAGES_DIR/services.txt"
}

push_all() {
    local list first
    list=$(image_list)
    [[ -n $list ]] || die "--only '$ONLY' matches no name in services.txt"
    # The shared layer goes up once; every other repository mounts it.
    first=$NAMESPACE/$(head -n 1 <<< "$list" | cut -d' ' -f1)
    push_blob "$first" "$LAYER_DIGEST" "$LAYER_GZ"
    export -f push_image image_config manifest_for push_blob push_manifest manifest_current blob_exists reg_curl http_status
    export REGISTRY NAMESPACE WORK LAYER_GZ LAYER_DIGEST LAYER_DIFF_ID ARCH CREATED \
        MANIFEST_TYPE CONFIG_TYPE LAYER_TYPE
    xargs -P 8 -L 1 bash -c 'push_image "$@" '"'$first'" _ <<< "$list"
}

main() {
    parse_args "$@"
    local start=$SECONDS
    ensure_tools
    ARCH=$(dpkg --print-architecture)
    build_layer
    [[ $BUILD_ONLY == 1 ]] && { echo "$LAYER_GZ"; return 0; }
    [[ -n $REGISTRY ]] || registry_from_inventory
    check_registry_route
    curl --noproxy '*' -sf --max-time 5 -o /dev/null "http://$REGISTRY/v2/" || die "registry $REGISTRY does not answer"
    WORK=$(mktemp -d)
    trap 'rm -rf "$WORK"' EXIT
    push_all
    log "pushed $(image_list | wc -l) image tags to $REGISTRY/$NAMESPACE in $((SECONDS - start)) s"
}

main "$@"
