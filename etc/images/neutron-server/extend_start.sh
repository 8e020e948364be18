# neutron-server's hooks (kolla's): schema migrations in one-shot containers, then exit.
if [[ "${!KOLLA_BOOTSTRAP[@]}" ]]; then
    neutron-db-manage --subproject neutron upgrade head
    for service in ${NEUTRON_BOOTSTRAP_SERVICES:-}; do
        neutron-db-manage --subproject "$service" upgrade head
    done
    exit 0
fi
# KOLLA_UPGRADE: NEUTRON_DB_EXPAND and/or NEUTRON_DB_CONTRACT select the phases, as in kolla's
# rolling upgrade; neither means the whole migration (heads), where kolla's script would fail.
if [[ "${!KOLLA_UPGRADE[@]}" ]]; then
    actions=()
    [[ "${!NEUTRON_DB_EXPAND[@]}" ]] && actions+=(--expand)
    [[ "${!NEUTRON_DB_CONTRACT[@]}" ]] && actions+=(--contract)
    [[ ${#actions[@]} -eq 0 ]] && actions=(heads)
    for action in "${actions[@]}"; do
        neutron-db-manage --subproject neutron upgrade "$action"
        for service in ${NEUTRON_ROLLING_UPGRADE_SERVICES:-}; do
            neutron-db-manage --subproject "$service" upgrade "$action"
        done
    done
    exit 0
fi
