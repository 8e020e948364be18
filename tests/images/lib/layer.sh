# shellcheck shell=bash disable=SC2034  # variables are used by build.sh
# Builds the one filesystem layer every stand-in image shares (sourced by build.sh).
#
# The layer is busybox-static + tini-static + our kolla scripts: about 1.5 MB
# gzipped, built in well under a second, deterministic (sorted tar, fixed mtime,
# numeric root owner, gzip -n), and cached under $CACHE_ROOT/layer-<input hash>,
# so an unchanged checkout on the same machine reuses it.

HEALTHCHECK_NAMES=(healthcheck_curl healthcheck_port healthcheck_listen healthcheck_socket healthcheck_filemod
    healthcheck_rabbitmq healthcheck_mariadb
    # the client tools kolla's libvirt and openvswitch healthchecks call
    virsh ovsdb-client ovs-appctl)
# One-shot tools that deploys `docker exec`; all are kolla-standin-tool.
TOOL_NAMES=(kolla_keystone_bootstrap keystone-manage nova-manage glance-manage cinder-manage heat-manage
    placement-manage neutron-db-manage ovs-vsctl rabbitmqctl mysql openstack rsync kolla_galera_ready
    kolla_nova_discover_computes)

layer_inputs_hash() {
    {
        (cd "$IMAGES_DIR" && find rootfs lib services.txt -type f | LC_ALL=C sort | xargs sha256sum)
        sha256sum "$BUSYBOX" "$TINI"
    } | sha256sum | cut -c1-20
}

stage_rootfs() {
    local stage=$1 applet
    cp -a "$IMAGES_DIR/rootfs/." "$stage/"
    mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,root,run,tmp,etc/kolla,var/log/kolla} \
        "$stage"/var/lib/{kolla/config_files,kolla-standin}
    cp "$BUSYBOX" "$stage/bin/busybox"
    # Every applet gets its link except httpd: a real service command such as
    # "httpd -DFOREGROUND" must fall back to the stand-in, not start busybox httpd.
    for applet in $("$BUSYBOX" --list); do
        [[ $applet == busybox || $applet == httpd || -e $stage/bin/$applet ]] && continue
        ln -s busybox "$stage/bin/$applet"
    done
    cp "$TINI" "$stage/usr/bin/tini"
    # kolla commands sometimes start with "bash -c"; busybox sh understands those.
    printf '#!/bin/sh\nexec /bin/sh "$@"\n' > "$stage/bin/bash"
    chmod 0755 "$stage/bin/bash"
    for applet in "${HEALTHCHECK_NAMES[@]}"; do ln -s kolla-standin-health "$stage/usr/local/bin/$applet"; done
    ln -s ../local/bin/kolla-standin-health "$stage/usr/bin/clustercheck"
    for applet in "${TOOL_NAMES[@]}"; do ln -s kolla-standin-tool "$stage/usr/local/bin/$applet"; done
    # Modes must not depend on the checkout's umask: the hash promises identical output.
    find "$stage" -type d -exec chmod 0755 {} +
    find "$stage" -type f -exec sh -c 'for f; do if [ -x "$f" ]; then chmod 0755 "$f"; else chmod 0644 "$f"; fi; done' _ {} +
    chmod 1777 "$stage/tmp"
    chmod 0700 "$stage/root"
}

# Sets LAYER_GZ, LAYER_DIGEST (of the gzip blob) and LAYER_DIFF_ID (of the tar).
build_layer() {
    local dir tmp stage
    dir=$CACHE_ROOT/layer-$(layer_inputs_hash)
    if [[ ! -s $dir/layer.tar.gz ]]; then
        mkdir -p "$CACHE_ROOT"
        tmp=$(mktemp -d "$CACHE_ROOT/.build.XXXXXX")
        stage=$tmp/rootfs
        mkdir "$stage"
        stage_rootfs "$stage"
        tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu \
            -C "$stage" -cf "$tmp/layer.tar" .
        sha256sum < "$tmp/layer.tar" | cut -d' ' -f1 > "$tmp/diff_id"
        gzip -n -6 < "$tmp/layer.tar" > "$tmp/layer.tar.gz"
        sha256sum < "$tmp/layer.tar.gz" | cut -d' ' -f1 > "$tmp/digest"
        rm -rf "$stage" "$tmp/layer.tar"
        chmod 0755 "$tmp"
        # Another build may have finished first; its result is identical.
        mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"
        log "built the base layer in $dir"
    else
        log "base layer cached in $dir"
    fi
    LAYER_GZ=$dir/layer.tar.gz
    LAYER_DIGEST=sha256:$(cat "$dir/digest")
    LAYER_DIFF_ID=sha256:$(cat "$dir/diff_id")
}
