# Sourced by kolla_start in every nova image (kolla's nova-base hook); the image's own part is
# kolla_nova_extend_start.
# nova's logs go to /var/log/kolla/nova on the shared kolla_logs volume. An image that runs as root
# creates it; one that runs as nova cannot (/var/log/kolla is 0755 kolla:kolla in these images,
# not kolla's 2775), so its config.json must list it under "directories" (docs/build.md).
if [[ ! -d /var/log/kolla/nova ]]; then
    if [[ $(id -u) == 0 ]]; then
        install -d -o nova -g nova -m 0755 /var/log/kolla/nova
    else
        echo "/var/log/kolla/nova is missing and $(id -un) cannot create it: list it under config.json's directories" >&2
    fi
fi
. /usr/local/bin/kolla_nova_extend_start
