# nova-conductor's hooks (kolla's: the cell database, for kolla's nova-cell bootstrap). KOLLA_OSM
# first: kolla-deploy's one-shots always carry KOLLA_BOOTSTRAP or KOLLA_UPGRADE as well.
if [[ "${!KOLLA_OSM[@]}" ]]; then
    nova-manage db online_data_migrations
    exit 0
fi
if [[ "${!KOLLA_BOOTSTRAP[@]}" ]]; then
    nova-manage db sync --local_cell
    nova-manage db online_data_migrations
    exit 0
fi
if [[ "${!KOLLA_UPGRADE[@]}" ]]; then
    nova-manage db sync --local_cell
    exit 0
fi
