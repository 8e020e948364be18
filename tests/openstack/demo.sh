#!/usr/bin/env bash
# The real-OpenStack variant of the demo: build the images (cached layers), push them to the test
# bed's registry, deploy the cloud (mariadb/memcached/rabbitmq/haproxy+keepalived/keystone/glance/
# placement, nova, neutron with linuxbridge, horizon) on the bed's hosts, run post-deploy, print a
# token and the catalog with Debian's openstack client through the VIP, then boot a server and print
# it ACTIVE with its address, the tail of its console log and a horizon screenshot's path
# (tests/openstack/boot-server.ts). The bed must be up (tests/testbed/testbed.sh up 3).
#
#   tests/openstack/demo.sh            deploy and show
#   tests/openstack/demo.sh --destroy  also destroy the deployment at the end
#
# Needs: root, debootstrap, attr, python3-openstackclient, python3-osc-placement.
set -euo pipefail
here=$(CDPATH= cd -- "$(dirname -- "$(readlink -f -- "$0")")/../.." && pwd)
cd "$here"
bed=${TESTBED_DIR:-/var/tmp/kolla-testbed}
[[ -f "$bed/inventory.json" ]] || { echo "error: no test bed in $bed (run tests/testbed/testbed.sh up 3)" >&2; exit 1; }
command -v openstack > /dev/null || { echo "error: the openstack client is missing (apt-get install python3-openstackclient python3-osc-placement)" >&2; exit 1; }
registry=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["registry"])' "$bed/inventory.json")
kd() { node --import tsx src/main.ts "$@"; }

echo "== build + push to $registry"
mapfile -t images < <(grep -v '^#' tests/openstack/images.txt | grep .)
kd build --registry "$registry" --push "${images[@]}"
dir=$(node --import tsx tests/openstack/make-env.ts)
echo "== working set: $dir (inventory, etc-kolla/)"
kd deploy -i "$dir/inventory" --configdir "$dir/etc-kolla"
kd post-deploy -i "$dir/inventory" --configdir "$dir/etc-kolla"
# shellcheck disable=SC1091
. "$dir/etc-kolla/admin-openrc.sh"
echo "== openstack token issue (through the VIP, $OS_AUTH_URL)"
openstack token issue -c expires -c project_id -c user_id
echo "== openstack catalog list"
openstack catalog list
node --import tsx tests/openstack/boot-server.ts "$dir"
if [[ "${1:-}" == "--destroy" ]]; then
    # destroy refuses hosts whose nova_libvirt still runs guests (as kolla's does)
    openstack server delete --wait kd-demo
    kd destroy -i "$dir/inventory" --configdir "$dir/etc-kolla" --yes-i-really-really-mean-it
fi
