# Sourced by kolla_start in the horizon image (as root), after kolla_set_configs (kolla's hook,
# reduced to what this image has: no dashboard plugins).
MANAGE_PY="python3 /usr/share/openstack-dashboard/manage.py"
HASH_PATH=/var/lib/kolla/.settings.md5sum.txt

if [[ "${!KOLLA_BOOTSTRAP[@]}" ]]; then
    $MANAGE_PY migrate --noinput
    exit 0
fi

# The static files and the offline-compressed CSS/JS depend on the settings: rebuild them when
# the deployed settings changed since the last start (or FORCE_GENERATE=yes).
settings_bundle() {
    cat /etc/openstack-dashboard/local_settings /etc/openstack-dashboard/local_settings.d/*.py 2>/dev/null
}
if [[ "${FORCE_GENERATE:-no}" == "yes" || ! -f $HASH_PATH ]] || ! settings_bundle | md5sum -c --status $HASH_PATH; then
    $MANAGE_PY collectstatic --noinput --clear
    $MANAGE_PY compress --force
    settings_bundle | md5sum > $HASH_PATH
fi

mkdir -p /var/log/kolla/horizon
chmod 755 /var/log/kolla/horizon

# kolla's httpd setup: Debian's apache variables, and no pid file left by a killed container.
. /etc/apache2/envvars
rm -rf /var/run/apache2/*
mkdir -p "${APACHE_RUN_DIR}" "${APACHE_LOCK_DIR}" "${APACHE_LOG_DIR}"
