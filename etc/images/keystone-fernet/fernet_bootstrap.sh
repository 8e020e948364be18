#!/bin/bash
# kolla_keystone_bootstrap USER GROUP (keystone-fernet image; kolla init_fernet.yml):
# create the fernet key repository once. Existing keys are kept, so a re-run never invalidates
# the tokens already issued.
set -o errexit
[[ $# -eq 2 ]] || { echo "usage: kolla_keystone_bootstrap USER GROUP" >&2; exit 2; }
if [[ -f /etc/keystone/fernet-keys/0 ]]; then
    echo "fernet keys exist; not creating them again"
    exit 0
fi
keystone-manage --config-file /etc/keystone/keystone.conf fernet_setup --keystone-user "$1" --keystone-group "$2"
