# nova-ssh's hook (kolla's): this host's own host keys, and nova's .ssh (config.json writes the
# keys into it as root).
ssh-keygen -A
mkdir -p /var/lib/nova/.ssh
if [[ $(stat -c %U:%G /var/lib/nova/.ssh) != "nova:nova" ]]; then
    chown nova: /var/lib/nova/.ssh
fi
