# Sourced by kolla_start in the mariadb-server image.
# KOLLA_BOOTSTRAP: initialise the data directory and set the root password (DB_ROOT_PASSWORD),
# then exit; the cluster itself is started by the deploy afterwards.
if [[ "${!KOLLA_BOOTSTRAP[@]}" ]]; then
    # root@localhost starts with an empty password (not unix_socket: we are not OS user root here).
    mysql_install_db --user=mysql --datadir=/var/lib/mysql --skip-test-db --auth-root-authentication-method=normal > /dev/null
    mysqld --user=mysql --skip-networking --wsrep-on=OFF --socket=/tmp/bootstrap.sock --pid-file=/tmp/bootstrap.pid &
    pid=$!
    for _ in $(seq 60); do
        mysqladmin --socket=/tmp/bootstrap.sock ping > /dev/null 2>&1 && break
        sleep 1
    done
    # The password reaches mysql on stdin, never on a command line.
    mysql --socket=/tmp/bootstrap.sock -u root <<SQL
CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY '${DB_ROOT_PASSWORD}';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;
ALTER USER 'root'@'localhost' IDENTIFIED BY '${DB_ROOT_PASSWORD}';
FLUSH PRIVILEGES;
SQL
    MYSQL_PWD="${DB_ROOT_PASSWORD}" mysqladmin --socket=/tmp/bootstrap.sock -u root shutdown
    wait "$pid" || true
    exit 0
fi
mkdir -p /run/mysqld 2>/dev/null || true
