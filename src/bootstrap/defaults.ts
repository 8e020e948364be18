/**
 * The defaults of kolla's baremetal, docker, podman and kolla_user roles that bootstrap-servers
 * reads, as one more role-defaults source: the lowest precedence, so etc/defaults, the inventory,
 * globals.yml and -e all override them, as in kolla-ansible. Values and names follow
 * openstack/ansible-collection-kolla; the kolla-deploy additions are marked.
 */
export const BOOTSTRAP_DEFAULTS_LABEL = "kolla-deploy bootstrap defaults (src/bootstrap/defaults.ts)";

export const BOOTSTRAP_DEFAULTS_YAML = `
customize_etc_hosts: true
create_kolla_user: true
create_kolla_user_sudoers: true
kolla_user: "kolla"
kolla_group: "kolla"

docker_log_max_file: "5"
docker_log_max_size: "50m"
docker_disable_default_iptables_rules: "yes"
docker_disable_default_network: "{{ docker_disable_default_iptables_rules }}"
docker_disable_ip_forward: "{{ docker_disable_default_iptables_rules }}"
docker_registry_mirrors: []
docker_storage_driver: ""
docker_runtime_directory: ""
docker_custom_config: {}

podman_registry: "{{ docker_registry }}"
podman_registry_insecure: "{{ docker_registry_insecure }}"

# kolla-deploy: the engine network's MTU: daemon.json "mtu" for docker, the default network's
# definition for podman (unset: not written). neutron_global_physnet_mtu (neutron.conf
# global_physnet_mtu, roles/neutron/defaults.yml) follows it, 1500 when it is unset.
docker_mtu: ""
# kolla-deploy: the engine packages (kolla installs docker-ce from download.docker.com)
docker_apt_package: "docker.io"
docker_yum_package: "docker-ce"
podman_apt_package: "podman"
podman_yum_package: "podman"
# kolla-deploy: apt source lines for the engine packages (/etc/apt/sources.list.d/kolla-deploy.list)
kolla_apt_sources: []
# kolla-deploy: a dnf repository for them (/etc/yum.repos.d/kolla-deploy.repo)
kolla_yum_repo_baseurl: ""
kolla_yum_repo_gpgkey: ""
`;
