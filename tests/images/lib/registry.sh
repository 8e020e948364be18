# shellcheck shell=bash disable=SC2034  # variables are used by build.sh
# Pushes images to a Docker registry over its HTTP API v2 with curl (sourced by build.sh).
#
# The machine runs no dockerd, so the script writes what `docker push` would:
# blobs (the shared layer is uploaded once, then cross-mounted into every other
# repository) and a schema-2 manifest per tag. The caller checks the route first.

MANIFEST_TYPE=application/vnd.docker.distribution.manifest.v2+json
CONFIG_TYPE=application/vnd.docker.container.image.v1+json
LAYER_TYPE=application/vnd.docker.image.rootfs.diff.tar.gzip

reg_curl() { curl --noproxy '*' -sS --max-time 60 "$@"; }

http_status() { reg_curl -o /dev/null -w '%{http_code}' "$@"; }

blob_exists() { [[ $(http_status -I "http://$REGISTRY/v2/$1/blobs/$2") == 200 ]]; }

# push_blob REPO DIGEST FILE [MOUNT_FROM_REPO]
push_blob() {
    local repo=$1 digest=$2 file=$3 from=${4:-} query='' headers location sep code
    blob_exists "$repo" "$digest" && return 0
    [[ -n $from ]] && query="?mount=$digest&from=$from"
    headers=$(reg_curl -D - -o /dev/null -X POST "http://$REGISTRY/v2/$repo/blobs/uploads/$query" | tr -d '\r')
    code=$(sed -n '1s/^HTTP[^ ]* \([0-9]*\).*/\1/p' <<< "$headers")
    [[ $code == 201 ]] && return 0
    location=$(sed -n 's/^[Ll]ocation: //p' <<< "$headers")
    [[ $code == 202 && -n $location ]] || { echo "upload of $digest to $repo refused (HTTP $code)" >&2; return 1; }
    [[ $location == http* ]] || location=http://$REGISTRY$location
    sep='?'; [[ $location == *\?* ]] && sep='&'
    code=$(http_status -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$file" "$location${sep}digest=$digest")
    [[ $code == 201 ]] || { echo "upload of $digest to $repo failed (HTTP $code)" >&2; return 1; }
}

# manifest_current REPO TAG FILE: true when the registry already has those exact bytes
# under that tag (then its blobs are there too, and the image needs no push).
manifest_current() {
    local want have
    want=sha256:$(sha256sum < "$3" | cut -d' ' -f1)
    have=$(reg_curl -I -H "Accept: $MANIFEST_TYPE" "http://$REGISTRY/v2/$1/manifests/$2" 2>/dev/null |
        tr -d '\r' | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: //p')
    [[ $have == "$want" ]]
}

push_manifest() {
    local code
    code=$(http_status -X PUT -H "Content-Type: $MANIFEST_TYPE" --data-binary "@$3" \
        "http://$REGISTRY/v2/$1/manifests/$2")
    [[ $code == 201 ]] || { echo "manifest $1:$2 refused (HTTP $code)" >&2; return 1; }
}
