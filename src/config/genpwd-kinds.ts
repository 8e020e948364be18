/**
 * Which kind of secret each passwords.yml key needs — kolla-ansible's genpwd lists
 * (kolla_ansible/cmd/genpwd.py); every key not listed gets a 40-character password.
 */

export type SecretKind = "ssh-key" | "uuid" | "hmac-hex" | "fernet" | "bcrypt-salt" | "blank" | "password";

const KINDS: ReadonlyMap<string, SecretKind> = new Map<string, SecretKind>([
  ...(["kolla_ssh_key", "nova_ssh_key", "keystone_ssh_key", "bifrost_ssh_key", "octavia_amp_ssh_key", "neutron_ssh_key", "haproxy_ssh_key"] as const).map(
    (key) => [key, "ssh-key"] as const,
  ),
  ...(["rbd_secret_uuid", "cinder_rbd_secret_uuid", "gnocchi_project_id", "gnocchi_resource_id", "gnocchi_user_id", "designate_pool_id"] as const).map(
    (key) => [key, "uuid"] as const,
  ),
  ["designate_rndc_key", "hmac-hex"],
  ["osprofiler_secret", "hmac-hex"],
  ["barbican_crypto_key", "fernet"],
  ["prometheus_bcrypt_salt", "bcrypt-salt"],
  // Only set when the registry needs a login; a generated value would be wrong, so it stays empty.
  ["docker_registry_password", "blank"],
]);

/** The kind of secret a top-level key gets when its value is empty. */
export function secretKindFor(key: string): SecretKind {
  return KINDS.get(key) ?? "password";
}

/** Length of generated passwords, as kolla. */
export const PASSWORD_LENGTH = 40;

/** Per-backend map of {uuid, secret}; kolla's genpwd fills the empty halves of each entry. */
export const CEPH_BACKEND_SECRETS_KEY = "ceph_backend_secrets";
