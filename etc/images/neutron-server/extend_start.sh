# neutron-server's hooks (kolla's): schema migrations in one-shot containers, then exit.
if [[ "${!KOLLA_BOOTSTRAP[@]}" ]]; then
    neutron-db-manage --subproject neutron upgrade head
    for service in ${NEUTRON_BOOTSTRAP_SERVICES:-}; do
        neutron-db-manage --subproject "$service" upgrade head
    done
    exit 0
fi
# KOLLA_UPGRADE: NEUTRON_DB_EXPAND or NEUTRON_DB_CONTRACT selects the phase; neither means both.
if [[ "${!KOLLA_UPGRADE[@]}" ]]; then
    DB_ACTION=""
    [[ "${!NEUTRON_DB_EXPAND[@]}" ]] && DB_ACTION="--expand"
    [[ "${!NEUTRON_DB_CONTRACT[@]}" ]] && DB_ACTION="--contract"
    neutron-db-manage --subproject neutron upgrade $DB_ACTION
    for service in ${NEUTRON_ROLLING_UPGRADE_SERVICES:-}; do
        neutron-db-manage --subproject "$service" upgrade $DB_ACTION
    done
    exit 0
fi
