# Sourced by kolla_start in the keystone image (as root).
# keystone's own log must belong to keystone: the WSGI processes write it, and a root-owned file
# left by a db_sync would stop them.
mkdir -p /var/log/kolla/keystone
touch /var/log/kolla/keystone/keystone.log
chown keystone:kolla /var/log/kolla/keystone /var/log/kolla/keystone/keystone.log
as_keystone() { runuser -u keystone -- "$@"; }
# KOLLA_BOOTSTRAP: create or migrate the database schema, then exit without starting the service.
if [[ "${!KOLLA_BOOTSTRAP[@]}" ]]; then
    as_keystone keystone-manage db_sync
    exit 0
fi
# KOLLA_UPGRADE: the rolling-upgrade steps (expand, migrate, contract) as kolla runs them.
if [[ "${!KOLLA_UPGRADE[@]}" ]]; then
    as_keystone keystone-manage db_sync --expand
    as_keystone keystone-manage db_sync --migrate
    as_keystone keystone-manage db_sync --contract
    exit 0
fi
# Apache's variables (APACHE_RUN_DIR, ...) come from Debian's envvars; a pid file left by a killed
# container would stop the next start.
. /etc/apache2/envvars
rm -rf /var/run/apache2/*
mkdir -p "${APACHE_RUN_DIR}" "${APACHE_LOCK_DIR}" "${APACHE_LOG_DIR}"
