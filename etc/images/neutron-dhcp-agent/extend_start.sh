# neutron-dhcp-agent's hook (kolla's): dnsmasq's log file, writable by neutron.
if [[ -d /var/log/kolla/neutron && ! -f /var/log/kolla/neutron/dnsmasq.log ]]; then
    touch /var/log/kolla/neutron/dnsmasq.log
fi
