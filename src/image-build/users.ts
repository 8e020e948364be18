/**
 * kolla's fixed user ids (kolla/common/users.py): every image creates its service users with these
 * ids, so files on shared volumes keep one owner whichever image wrote them. Every service user is
 * also in group `kolla`, which the sudoers rule for kolla_set_configs names.
 */
export interface KollaUser {
  readonly name: string;
  readonly uid: number;
  readonly home: string;
}

const FIXED_IDS: Readonly<Record<string, number>> = {
  kolla: 42400,
  ansible: 42401,
  cinder: 42407,
  glance: 42415,
  heat: 42418,
  horizon: 42420,
  keystone: 42425,
  qemu: 42427,
  mysql: 42434,
  neutron: 42435,
  nova: 42436,
  rabbitmq: 42439,
  haproxy: 42454,
  memcached: 42457,
  libvirt: 42473,
  fluentd: 42474,
  openvswitch: 42476,
  placement: 42482,
};

export function knownUserNames(): string[] {
  return Object.keys(FIXED_IDS);
}

export function kollaUser(name: string): KollaUser | undefined {
  const uid = FIXED_IDS[name];
  return uid === undefined ? undefined : { name, uid, home: `/var/lib/${name}` };
}

/**
 * The argv lists that create one user in the chroot: its own group (gid = uid), membership of
 * `kolla`, no home directory created (packages create theirs), no login shell.
 */
export function createUserArgvs(user: KollaUser): string[][] {
  const group = ["groupadd", "--force", "--gid", String(user.uid), user.name];
  if (user.name === "kolla") {
    return [group, ["useradd", "--uid", String(user.uid), "--gid", "kolla", "--no-create-home", "--home-dir", user.home, "--shell", "/usr/sbin/nologin", "kolla"]];
  }
  const add = ["useradd", "--uid", String(user.uid), "--gid", user.name, "--groups", "kolla", "--no-create-home", "--home-dir", user.home, "--shell", "/usr/sbin/nologin", user.name];
  return [group, add];
}

/** uid/gid for `user[:group]` from the image's /etc/passwd and /etc/group text (pure). */
export function resolveOwner(owner: string, passwd: string, group: string): { uid: number; gid: number } | string {
  const [userName, groupName] = owner.split(":") as [string, string | undefined];
  const users = idTable(passwd);
  const groups = idTable(group);
  const uid = users.get(userName);
  if (uid === undefined) return `user "${userName}" does not exist in the image`;
  const gid = groups.get(groupName ?? userName);
  if (gid === undefined) return `group "${groupName ?? userName}" does not exist in the image`;
  return { uid, gid };
}

function idTable(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    const fields = line.split(":");
    if (fields.length >= 3 && fields[0] !== "") out.set(fields[0]!, Number(fields[2]));
  }
  return out;
}
