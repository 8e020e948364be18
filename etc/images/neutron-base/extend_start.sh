# Sourced by kolla_start in every neutron image (kolla's neutron-base hook); the image's own part
# is kolla_neutron_extend_start.
# neutron's logs go to /var/log/kolla/neutron on the shared kolla_logs volume. These images run as
# neutron, which cannot create it (/var/log/kolla is 0755 kolla:kolla here, not kolla's 2775), so
# config.json must list it under "directories" (docs/build.md).
if [[ ! -d /var/log/kolla/neutron ]]; then
    if [[ $(id -u) == 0 ]]; then
        install -d -o neutron -g neutron -m 0755 /var/log/kolla/neutron
    else
        echo "/var/log/kolla/neutron is missing and $(id -un) cannot create it: list it under config.json's directories" >&2
    fi
fi
# kolla's iptables backend switch: nft (Debian's default, the only one some hosts have) unless
# KOLLA_LEGACY_IPTABLES is true. It must match what the host's other users of netfilter use.
if [[ "${KOLLA_LEGACY_IPTABLES:-false}" == "true" ]]; then
    sudo /usr/bin/update-alternatives --set iptables /usr/sbin/iptables-legacy
    sudo /usr/bin/update-alternatives --set ip6tables /usr/sbin/ip6tables-legacy
else
    sudo /usr/bin/update-alternatives --auto iptables
    sudo /usr/bin/update-alternatives --auto ip6tables
fi
. /usr/local/bin/kolla_neutron_extend_start
