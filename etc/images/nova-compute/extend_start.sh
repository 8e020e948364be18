# nova-compute's hook (kolla's): the instance directory on a fresh nova_compute volume.
if [[ ! -d /var/lib/nova/instances ]]; then
    mkdir -p /var/lib/nova/instances
fi
