# Sourced by kolla_start in the placement-api image.
if [[ "${!KOLLA_BOOTSTRAP[@]}" || "${!KOLLA_UPGRADE[@]}" ]]; then
    placement-manage db sync
    exit 0
fi
