# Sourced by kolla_start in the glance-api image.
if [[ "${!KOLLA_BOOTSTRAP[@]}" ]]; then
    glance-manage db_sync
    glance-manage db_load_metadefs
    exit 0
fi
# KOLLA_UPGRADE with GLANCE_DB_EXPAND / _MIGRATE / _CONTRACT selects the phase, as in kolla.
if [[ "${!KOLLA_UPGRADE[@]}" ]]; then
    [[ "${!GLANCE_DB_EXPAND[@]}" ]] && glance-manage db expand
    [[ "${!GLANCE_DB_MIGRATE[@]}" ]] && glance-manage db migrate
    [[ "${!GLANCE_DB_CONTRACT[@]}" ]] && glance-manage db contract
    exit 0
fi
