# shellcheck shell=bash
# What `up` leaves for clients in $DIR: inventory (plain), inventory.json (for the tests),
# inventory.ini (a kolla-deploy / ansible INI inventory), known_hosts and ssh_config.
# Sourced by testbed.sh.

host_engine() { if [[ $DO_DOCKER == 1 ]] && ! host_is_bare "$1"; then echo docker; else echo none; fi; }
host_podman() { if [[ $DO_PODMAN == 1 ]] && ! host_is_bare "$1"; then echo true; else echo false; fi; }

write_inventory() {
    local i
    {
        echo "# testbed inventory: name address user port key"
        for ((i = 1; i <= TB_N; i++)); do echo "node$i $(host_ip "$i") root 22 $DIR/id_ed25519"; done
    } > "$DIR/inventory"
    write_inventory_json > "$DIR/inventory.json.tmp" && mv "$DIR/inventory.json.tmp" "$DIR/inventory.json"
    write_inventory_ini root > "$DIR/inventory.ini"
    if [[ -n ${TESTBED_SUDO_USER:-} ]]; then
        write_inventory_ini sudo > "$DIR/inventory-sudo.ini"
    else
        rm -f "$DIR/inventory-sudo.ini"
    fi
    write_known_hosts > "$DIR/known_hosts"
    write_ssh_config > "$DIR/ssh_config"
}

write_inventory_json() {
    local i first=1 sudo
    printf '{\n  "hosts": ['
    for ((i = 1; i <= TB_N; i++)); do
        ((first)) || printf ','; first=0
        sudo=
        host_has_sudo_user "$i" && sudo=", \"sudoUser\": \"$TESTBED_SUDO_USER\""
        printf '\n    {"name": "node%d", "address": "%s", "port": 22, "user": "root", "engine": "%s", "podman": %s%s}' \
            "$i" "$(host_ip "$i")" "$(host_engine "$i")" "$(host_podman "$i")" "$sudo"
    done
    printf '\n  ],\n  "sshKey": "%s",\n  "knownHosts": "%s",\n  "sshConfig": "%s",\n' \
        "$DIR/id_ed25519" "$DIR/known_hosts" "$DIR/ssh_config"
    printf '  "inventoryIni": "%s",\n  "bridge": "%s",\n  "prefix": "%s",\n' "$DIR/inventory.ini" "$BR" "$PREFIX"
    printf '  "external": {"bridge": "%s", "gateway": "%s", "cidr": "%s.0/24"},\n  "mtu": %s,\n' \
        "$EXT_BR" "$EXT_GW" "$EXT_NET" "$MTU"
    printf '  "gateway": "%s",\n  "registry": %s,\n  "image": "%s"\n}\n' "$GW" \
        "$([[ -f $DIR/registry.pid ]] && echo "\"${GW}:${REG_PORT}\"" || echo null)" "$IMAGE"
}

# MODE root: every host as root; MODE sudo: the sudo user's hosts log in as that user and become root
write_inventory_ini() {
    local mode=$1 i g line
    local common="ansible_ssh_private_key_file=$DIR/id_ed25519 ansible_ssh_common_args='-o UserKnownHostsFile=$DIR/known_hosts'"
    echo "# written by tests/testbed/testbed.sh up; hosts of the test bed $PREFIX ($NET.0/24)"
    for g in control network compute storage monitoring; do
        echo "[$g]"
        for ((i = 1; i <= TB_N; i++)); do
            line="node$i ansible_host=$(host_ip "$i")"
            if [[ $mode == sudo ]] && host_has_sudo_user "$i"; then
                line+=" ansible_user=$TESTBED_SUDO_USER ansible_become=true"
            else
                line+=" ansible_user=root"
            fi
            echo "$line $common"
        done
        echo
    done
    # kolla lists the deployment host (localhost) here; the group stays empty so that ad-hoc commands
    # (`kolla-deploy shell -i inventory.ini`) reach exactly the test hosts.
    printf '[deployment]\n'
}

write_known_hosts() {
    local i
    for ((i = 1; i <= TB_N; i++)); do
        echo "$(host_ip "$i"),node$i $(cut -d' ' -f1,2 < "$(host_dir "$i")/ssh_host_ed25519_key.pub")"
    done
}

write_ssh_config() {
    local i
    for ((i = 1; i <= TB_N; i++)); do printf 'Host node%d\n  HostName %s\n' "$i" "$(host_ip "$i")"; done
    cat <<EOF
Host node* ${NET}.*
  User root
  IdentityFile $DIR/id_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $DIR/known_hosts
  StrictHostKeyChecking yes
  BatchMode yes
  ConnectTimeout 5
EOF
}

print_inventory() {
    [[ -f $DIR/inventory ]] || die "no test bed is up"
    cat "$DIR/inventory"
    echo "# ssh: ssh -F $DIR/ssh_config node1   (json: $DIR/inventory.json, ini: $DIR/inventory.ini)"
    [[ -f $DIR/registry.pid ]] && echo "# registry: ${GW}:${REG_PORT}   image on every host: $IMAGE"
    return 0
}
