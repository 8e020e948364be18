#!/bin/bash
# kolla_keystone_bootstrap USER PASSWORD PROJECT ROLE INTERNAL_URL PUBLIC_URL REGION
# kolla register.yml: the admin user, project and role, the identity service, its internal and
# public endpoints (no admin endpoint: kolla dropped it in Zed) and the region, through
# `keystone-manage bootstrap` (idempotent: existing objects are kept, the password is reset to
# PASSWORD). keystone-manage reads the password from the environment, not argv.
set -o errexit
set -o pipefail
[[ $# -eq 7 ]] || { echo "usage: kolla_keystone_bootstrap USER PASSWORD PROJECT ROLE INTERNAL_URL PUBLIC_URL REGION" >&2; exit 2; }
export OS_BOOTSTRAP_PASSWORD="$2"
exec runuser -u keystone -- keystone-manage bootstrap \
    --bootstrap-username "$1" \
    --bootstrap-project-name "$3" \
    --bootstrap-role-name "$4" \
    --bootstrap-service-name keystone \
    --bootstrap-internal-url "$5" \
    --bootstrap-public-url "$6" \
    --bootstrap-region-id "$7"
