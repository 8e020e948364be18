# nova-api's hooks (kolla's), sourced after nova-base's. The database work runs as nova, so the
# files it writes (nova-manage.log) belong to the user the services run as.
# KOLLA_OSM and KOLLA_UPGRADE_CHECK are checked first: kolla-deploy's one-shot containers always
# carry KOLLA_BOOTSTRAP or KOLLA_UPGRADE, and a role sets one of these two on top (as placement's).
as_nova() {
    if [[ $(id -u) == 0 ]]; then runuser -u nova -- "$@"; else "$@"; fi
}
if [[ "${!KOLLA_OSM[@]}" ]]; then
    as_nova nova-manage db online_data_migrations
    exit 0
fi
if [[ "${!KOLLA_UPGRADE_CHECK[@]}" ]]; then
    as_nova nova-status upgrade check
    exit $?
fi
if [[ "${!KOLLA_BOOTSTRAP[@]}" ]]; then
    as_nova nova-manage api_db sync
    as_nova nova-manage db sync --local_cell
    as_nova nova-manage db online_data_migrations
    exit 0
fi
if [[ "${!KOLLA_UPGRADE[@]}" ]]; then
    as_nova nova-manage api_db sync
    as_nova nova-manage db sync --local_cell
    exit 0
fi
