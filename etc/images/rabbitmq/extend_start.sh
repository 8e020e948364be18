# Sourced by kolla_start in the rabbitmq image (as user rabbitmq).
# Every node of a cluster must share the Erlang cookie: kolla passes it as RABBITMQ_CLUSTER_COOKIE.
if [[ -n "${RABBITMQ_CLUSTER_COOKIE:-}" ]]; then
    cookie=/var/lib/rabbitmq/.erlang.cookie
    rm -f "$cookie"
    (umask 077; printf '%s' "${RABBITMQ_CLUSTER_COOKIE}" > "$cookie")
    chmod 0400 "$cookie"
fi
