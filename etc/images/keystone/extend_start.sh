# Sourced by kolla_start in the keystone image.
# KOLLA_BOOTSTRAP: create or migrate the database schema, then exit without starting the service.
if [[ "${!KOLLA_BOOTSTRAP[@]}" ]]; then
    keystone-manage db_sync
    exit 0
fi
# KOLLA_UPGRADE: the rolling-upgrade steps (expand, migrate, contract) as kolla runs them.
if [[ "${!KOLLA_UPGRADE[@]}" ]]; then
    keystone-manage db_sync --expand
    keystone-manage db_sync --migrate
    keystone-manage db_sync --contract
    exit 0
fi
# apache2 keeps its pid and lock files here; the directory does not survive an image build.
mkdir -p /run/apache2 /var/lock/apache2 2>/dev/null || true
