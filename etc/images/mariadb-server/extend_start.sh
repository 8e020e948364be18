# Sourced by kolla_start in the mariadb-server image.
# KOLLA_BOOTSTRAP: initialise the data directory, set the root password (DB_ROOT_PASSWORD) and
# create the monitor user the healthcheck logs in as, then exit. It also leaves a marker so that
# the next normal start of this data directory founds the Galera cluster (--wsrep-new-cluster):
# kolla runs the bootstrap on the first host only, and the other hosts join it with an empty volume
# (they take a state transfer). kolla_galera_ready removes the marker once the cluster is formed.
NEW_CLUSTER_MARKER=/var/lib/mysql/kolla-new-cluster
if [[ "${!KOLLA_BOOTSTRAP[@]}" ]]; then
    # MYSQL_HOST (the healthcheck's address) would send the clients below to TCP, not the socket.
    unset MYSQL_HOST
    # kolla bootstraps only a missing volume: never initialise a data directory twice.
    if [[ -d /var/lib/mysql/mysql ]]; then
        echo "/var/lib/mysql is initialised already; nothing to bootstrap"
        exit 0
    fi
    # root@localhost starts with an empty password (not unix_socket: we are not OS user root here).
    mysql_install_db --user=mysql --datadir=/var/lib/mysql --skip-test-db --auth-root-authentication-method=normal > /dev/null
    mysqld --user=mysql --skip-networking --wsrep-on=OFF --socket=/tmp/bootstrap.sock --pid-file=/tmp/bootstrap.pid &
    pid=$!
    for _ in $(seq 60); do
        mysqladmin --socket=/tmp/bootstrap.sock ping > /dev/null 2>&1 && break
        sleep 1
    done
    # The passwords reach mysql on stdin, never on a command line.
    mysql --socket=/tmp/bootstrap.sock -u root <<SQL
CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY '${DB_ROOT_PASSWORD}';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;
ALTER USER 'root'@'localhost' IDENTIFIED BY '${DB_ROOT_PASSWORD}';
CREATE USER IF NOT EXISTS '${MYSQL_USERNAME:-monitor}'@'%' IDENTIFIED BY '${MYSQL_PASSWORD}';
GRANT USAGE ON *.* TO '${MYSQL_USERNAME:-monitor}'@'%';
FLUSH PRIVILEGES;
SQL
    MYSQL_PWD="${DB_ROOT_PASSWORD}" mysqladmin --socket=/tmp/bootstrap.sock -u root shutdown
    wait "$pid" || true
    touch "$NEW_CLUSTER_MARKER"
    exit 0
fi
mkdir -p /run/mysqld 2>/dev/null || true
# kolla's BOOTSTRAP_ARGS, or a cluster being founded on this host (see above). The marker stays
# until kolla_galera_ready has seen the cluster formed, so a failed first start founds it again.
if [[ -n "${BOOTSTRAP_ARGS:-}" ]]; then
    ARGS="${BOOTSTRAP_ARGS}"
elif [[ -f "$NEW_CLUSTER_MARKER" ]]; then
    ARGS="--wsrep-new-cluster"
fi
