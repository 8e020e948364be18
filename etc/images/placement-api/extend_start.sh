# Sourced by kolla_start in the placement-api image.
# KOLLA_OSM is checked first: the deploy tool's one-shot containers always carry KOLLA_BOOTSTRAP
# or KOLLA_UPGRADE, so the post-upgrade online-migration run sets KOLLA_OSM on top of KOLLA_UPGRADE.
if [[ "${!KOLLA_OSM[@]}" ]]; then
    placement-manage db online_data_migrations
    exit 0
fi
if [[ "${!KOLLA_BOOTSTRAP[@]}" ]]; then
    placement-manage db sync
    placement-manage db online_data_migrations
    exit 0
fi
# Schema sync before the upgraded containers start.
if [[ "${!KOLLA_UPGRADE[@]}" ]]; then
    placement-manage db sync
    exit 0
fi
