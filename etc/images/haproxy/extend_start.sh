# Sourced by kolla_start in the haproxy image (root, host network, privileged).
# haproxy binds the VIP on every loadbalancer host, but only the keepalived master holds it:
# kolla sets net.ipv4.ip_nonlocal_bind=1 on these hosts for exactly this.
sysctl -q -w net.ipv4.ip_nonlocal_bind=1
mkdir -p /var/lib/haproxy /run/haproxy
