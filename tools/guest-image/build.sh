#!/usr/bin/env bash
# Builds the guest that the nova e2e boots: Debian bookworm's cloud kernel
# (linux-image-cloud-amd64) and a busybox initramfs (busybox-static) whose /init
# prints fixed lines to the serial console, takes a DHCP lease, reads the
# metadata service and serves a file over HTTP. Also a tiny raw root disk, for a
# glance image that carries kernel_id/ramdisk_id.
#
#   tools/guest-image/build.sh [--out DIR]
#
# Artifacts: vmlinuz, initrd.img (newc cpio, gzip), root.img (1 MiB raw),
# manifest.json. They are cached in $KOLLA_GUEST_IMAGE_CACHE/<key>/
# (default /var/cache/kolla-deploy/guest-image), key = sha256 of this script,
# init, udhcpc.script and the versions of the .debs. A run whose key is cached
# only prints the paths. With --out DIR the artifacts are also copied to DIR.
# stdout: one artifact path per line, nothing else. Progress goes to stderr.
# Root only (apt-get download, mknod).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache_root=${KOLLA_GUEST_IMAGE_CACHE:-/var/cache/kolla-deploy/guest-image}
out=""
argv=("$@")

KERNEL_META=linux-image-cloud-amd64
BUSYBOX_PKG=busybox-static
# Loaded by /init, with their dependencies (found in the .ko files), in order.
MODULES=(virtio_pci virtio_net virtio_blk)
CMDLINE="console=tty0 console=ttyS0"
PAYLOAD_LINES=8192 # 64-byte lines: /srv/www/big.bin is 512 KiB
ROOT_MAGIC=KOLLA-DEPLOY-GUEST-ROOT-DISK-V1
EPOCH=1700000000 # mtime of every file in the initramfs (busybox cpio still records
# inode numbers, so two builds of the same key are not byte-identical)

log() { printf '[guest-image %3ss] %s\n' "$SECONDS" "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2; }

while [ $# -gt 0 ]; do
	case $1 in
	--out)
		[ $# -ge 2 ] || die "--out needs a directory"
		out=$2
		shift 2
		;;
	--out=*)
		out=${1#--out=}
		shift
		;;
	-h | --help)
		usage
		exit 0
		;;
	*)
		usage
		die "unknown argument: $1"
		;;
	esac
done

[ "$(id -u)" = 0 ] || die "run as root (apt-get download, mknod)"
for c in apt-get apt-cache dpkg-deb gzip sha256sum flock awk perl; do
	command -v "$c" >/dev/null || die "missing command: $c"
done

t_start=$(date +%s.%N)
elapsed() { awk -v a="$t_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

mkdir -p "$cache_root/debs"
exec 9>"$cache_root/.lock"
flock 9
# Left by a build that was killed (we hold the lock, so none is running).
rm -rf "$cache_root"/.tmp-*

# --- versions -------------------------------------------------------------------
# The candidate versions (what apt would install) of the kernel metapackage, the
# kernel package it depends on, and busybox-static. apt-cache rebuilds its cache
# on every call here (1-2 s each), so the answer is kept in .resolved, keyed by
# the package lists and apt's sources and pins.
apt_fingerprint() {
	{
		find /var/lib/apt/lists /etc/apt -maxdepth 2 \( -name '*Packages*' -o -name '*.list' \
			-o -name '*.sources' -o -name 'preferences*' -o -path '*/preferences.d/*' \) \
			-printf '%p %s %T@\n' 2>/dev/null | LC_ALL=C sort
		echo "$KERNEL_META $BUSYBOX_PKG"
	} | sha256sum | cut -d' ' -f1
}
# show_field PKG... FIELD: FIELD of each package's candidate record, one per line.
show_field() {
	local field=${*: -1}
	apt-cache show --no-all-versions "${@:1:$#-1}" 2>/dev/null |
		awk -v f="$field" 'index($0, f ": ") == 1 { print $0 } /^Package: / { print }' |
		awk -v f="$field" '/^Package: / { p = $2; next } { sub("^" f ": ", ""); v[p] = $0 }
			END { for (k in v) print k "\t" v[k] }'
}
resolve() {
	local fp versions deps
	fp=$(apt_fingerprint)
	if [ -f "$cache_root/.resolved" ] &&
		read -r cached_fp meta_ver kernel_pkg kernel_ver busybox_ver <"$cache_root/.resolved" &&
		[ "$cached_fp" = "$fp" ] && [ -n "$busybox_ver" ]; then
		return 0
	fi
	versions=$(show_field "$KERNEL_META" "$BUSYBOX_PKG" Version)
	deps=$(show_field "$KERNEL_META" Depends)
	meta_ver=$(awk -F '\t' -v p="$KERNEL_META" '$1 == p { print $2 }' <<<"$versions")
	busybox_ver=$(awk -F '\t' -v p="$BUSYBOX_PKG" '$1 == p { print $2 }' <<<"$versions")
	kernel_pkg=$(cut -f2 <<<"$deps" | tr ',' '\n' | awk '$1 ~ /^linux-image-/ { print $1; exit }')
	kernel_ver=""
	[ -z "$kernel_pkg" ] || kernel_ver=$(show_field "$kernel_pkg" Version | cut -f2)
	[ -n "$meta_ver" ] && [ -n "$kernel_ver" ] && [ -n "$busybox_ver" ] || return 1
	echo "$fp $meta_ver $kernel_pkg $kernel_ver $busybox_ver" >"$cache_root/.resolved"
}
apt_updated=0
apt_update() {
	[ "$apt_updated" = 0 ] || return 1
	log "apt-get update"
	apt-get update -qq >&2 || die "apt-get update failed"
	rm -f "$cache_root/.resolved"
	apt_updated=1
}
resolve || { apt_update && resolve; } || die "apt does not know $KERNEL_META / $BUSYBOX_PKG (Debian bookworm lists?)"

input_sha() { sha256sum "$1" | cut -d' ' -f1; }
key=$(
	{
		echo "build.sh $(input_sha "$here/build.sh")"
		echo "init $(input_sha "$here/init")"
		echo "udhcpc.script $(input_sha "$here/udhcpc.script")"
		echo "$KERNEL_META $meta_ver"
		echo "$kernel_pkg $kernel_ver"
		echo "$BUSYBOX_PKG $busybox_ver"
	} | sha256sum | cut -d' ' -f1
)
dest=$cache_root/$key
ARTIFACTS=(vmlinuz initrd.img root.img manifest.json)

deliver() {
	local dir=$dest f
	if [ -n "$out" ]; then
		mkdir -p "$out"
		dir=$(cd "$out" && pwd)
		for f in "${ARTIFACTS[@]}"; do
			cp "$dest/$f" "$dir/.$f.tmp.$$"
			mv -f "$dir/.$f.tmp.$$" "$dir/$f"
		done
	fi
	for f in "${ARTIFACTS[@]}"; do
		echo "$dir/$f"
	done
}

if [ -f "$dest/manifest.json" ]; then
	log "cached: $dest ($kernel_pkg $kernel_ver, $BUSYBOX_PKG $busybox_ver)"
	deliver
	exit 0
fi
log "building $key: $kernel_pkg $kernel_ver, $BUSYBOX_PKG $busybox_ver"

# --- .debs ----------------------------------------------------------------------
# deb PKG VERSION: path of the .deb in the cache, downloaded when missing.
deb() {
	local pkg=$1 ver=$2 f
	for f in "$cache_root/debs/${pkg}_"*.deb; do
		[ -f "$f" ] || continue
		if [ "$(dpkg-deb -f "$f" Version)" = "$ver" ]; then
			echo "$f"
			return 0
		fi
	done
	log "apt-get download $pkg=$ver"
	(cd "$cache_root/debs" && apt-get -q -o APT::Sandbox::User=root download "$pkg=$ver" >&2) || return 1
	for f in "$cache_root/debs/${pkg}_"*.deb; do
		if [ "$(dpkg-deb -f "$f" Version)" = "$ver" ]; then
			echo "$f"
			return 0
		fi
	done
	return 1
}
# Old package lists name versions the archive no longer has (a kernel security
# update replaces the package): update them once and start over with new versions.
redo_after_update() {
	[ "$apt_updated" = 0 ] && [ -z "${KOLLA_GUEST_IMAGE_REDO:-}" ] || die "could not download $1"
	apt_update
	log "starting over with the updated package lists"
	exec 9>&-
	KOLLA_GUEST_IMAGE_REDO=1 exec bash "$here/build.sh" "${argv[@]}"
}
kernel_deb=$(deb "$kernel_pkg" "$kernel_ver") || redo_after_update "$kernel_pkg=$kernel_ver"
busybox_deb=$(deb "$BUSYBOX_PKG" "$busybox_ver") || redo_after_update "$BUSYBOX_PKG=$busybox_ver"

tmp=$(mktemp -d "$cache_root/.tmp-$key.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
art=$tmp/artifacts
root=$tmp/initramfs
mkdir -p "$art" "$root"

log "extracting $(basename "$kernel_deb")"
dpkg-deb -x "$kernel_deb" "$tmp/kernel"
dpkg-deb -x "$busybox_deb" "$tmp/busybox"
release=$(basename "$(find "$tmp/kernel/lib/modules" -mindepth 1 -maxdepth 1 -type d | head -n 1)")
[ -n "$release" ] && [ -f "$tmp/kernel/boot/vmlinuz-$release" ] || die "no kernel in $kernel_deb"
cp "$tmp/kernel/boot/vmlinuz-$release" "$art/vmlinuz"

# --- modules --------------------------------------------------------------------
# A module's name and dependencies are in its .modinfo section ("depends=a,b").
declare -A ko_path=() done_mod=()
while IFS= read -r -d '' f; do
	n=${f##*/}
	n=${n%.ko}
	ko_path[${n//-/_}]=$f
done < <(find "$tmp/kernel/lib/modules/$release" -name '*.ko' -print0)
[ "${#ko_path[@]}" -gt 0 ] || die "no .ko files in $kernel_deb (compressed modules?)"
modinfo_field() { tr '\0' '\n' <"$1" | sed -n "s/^$2=//p" | head -n 1; }
module_order=()
add_module() {
	local m=${1//-/_} d
	[ -z "${done_mod[$m]:-}" ] || return 0
	done_mod[$m]=1
	if [ -z "${ko_path[$m]:-}" ]; then
		grep -qE "/${m//_/[-_]}\.ko$" "$tmp/kernel/lib/modules/$release/modules.builtin" 2>/dev/null ||
			die "module $m: neither a .ko nor built in"
		return 0 # built into the kernel
	fi
	for d in $(modinfo_field "${ko_path[$m]}" depends | tr ',' ' '); do
		add_module "$d"
	done
	module_order+=("$m")
}
for m in "${MODULES[@]}"; do
	add_module "$m"
done
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc/udhcpc,dev,proc,sys,run,tmp,root,srv/www,var,lib/modules}
: >"$root/etc/modules"
for m in "${module_order[@]}"; do
	cp "${ko_path[$m]}" "$root/lib/modules/$m.ko"
	echo "$m" >>"$root/etc/modules"
done
log "modules: ${module_order[*]}"

# --- initramfs ------------------------------------------------------------------
ln -s ../run "$root/var/run"
bb=$tmp/busybox/bin/busybox
cp "$bb" "$root/bin/busybox"
# One symlink per applet (bin/sh, sbin/udhcpc, usr/sbin/httpd, ...); perl (Essential
# in Debian) makes the ~270 links in one process.
"$bb" --list-full | perl -e 'my $root = shift; while (<STDIN>) { chomp;
	next if m{^(bin/busybox|linuxrc)$} || -e "$root/$_";
	symlink("/bin/busybox", "$root/$_") or die "symlink $_: $!\n"; }' "$root"
install -m 0755 "$here/init" "$root/init"
install -m 0755 "$here/udhcpc.script" "$root/etc/udhcpc/default.script"
mknod -m 0600 "$root/dev/console" c 5 1
mknod -m 0666 "$root/dev/null" c 1 3
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"
printf 'GUEST_IMAGE_KEY=%s\nGUEST_KERNEL_RELEASE=%s\n' "${key:0:12}" "$release" >"$root/etc/guest-image.env"

# The file a test fetches from the guest over HTTP: 64-byte numbered lines, so a
# short or reordered transfer shows. Several hundred KiB: much bigger than an MTU.
awk -v n="$PAYLOAD_LINES" 'BEGIN {
	for (i = 1; i <= n; i++)
		printf "kolla-deploy guest payload %06d abcdefghijklmnopqrstuvwxyz012\n", i
}' >"$root/srv/www/big.bin"
[ "$(wc -c <"$root/srv/www/big.bin")" = $((PAYLOAD_LINES * 64)) ] || die "payload line length"
payload_sha=$(input_sha "$root/srv/www/big.bin")
echo "$payload_sha  big.bin" >"$root/srv/www/big.bin.sha256"
printf 'kolla-deploy e2e guest %s\n' "${key:0:12}" >"$root/srv/www/index.html"

log "packing initrd.img"
find "$root" -exec touch -h -d "@$EPOCH" {} +
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | "$bb" cpio -o -H newc -R 0:0 2>/dev/null) |
	gzip -9 -n >"$art/initrd.img"

# --- root disk ------------------------------------------------------------------
# 1 MiB raw. nova needs a root image to boot (kernel_id/ramdisk_id hang off it);
# /init reads its first line to show that the virtio disk is there.
printf '%s\n' "$ROOT_MAGIC" >"$art/root.img"
truncate -s 1M "$art/root.img"

# --- manifest -------------------------------------------------------------------
size() { stat -c %s "$1"; }
{
	printf '{\n'
	printf '  "key": "%s",\n' "$key"
	printf '  "debian": {"%s": "%s", "%s": "%s", "%s": "%s"},\n' \
		"$KERNEL_META" "$meta_ver" "$kernel_pkg" "$kernel_ver" "$BUSYBOX_PKG" "$busybox_ver"
	printf '  "kernel_release": "%s",\n' "$release"
	printf '  "modules": [%s],\n' "$(printf '"%s", ' "${module_order[@]}" | sed 's/, $//')"
	printf '  "cmdline": "%s",\n' "$CMDLINE"
	printf '  "root_disk_magic": "%s",\n' "$ROOT_MAGIC"
	printf '  "payload": {"path": "/big.bin", "bytes": %s, "sha256": "%s"},\n' \
		"$((PAYLOAD_LINES * 64))" "$payload_sha"
	printf '  "files": {\n'
	sep=","
	for f in vmlinuz initrd.img root.img; do
		[ "$f" = root.img ] && sep=""
		printf '    "%s": {"bytes": %s, "sha256": "%s"}%s\n' "$f" "$(size "$art/$f")" "$(input_sha "$art/$f")" "$sep"
	done
	printf '  }\n}\n'
} >"$art/manifest.json"

chmod 0644 "$art"/*
chmod 0755 "$art"
mv -T "$art" "$dest"
log "built $dest in $(elapsed) s: vmlinuz $(size "$dest/vmlinuz") B, initrd.img $(size "$dest/initrd.img") B, root.img $(size "$dest/root.img") B"
deliver
