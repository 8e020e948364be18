#!/usr/bin/env bash
# Boots the guest of build.sh under qemu TCG, the way nova's libvirt would boot
# it from glance kernel_id/ramdisk_id, and checks what its /init does.
#
#   tools/guest-image/boot-test.sh [--artifacts DIR] [--keep] [--cmdline STR]
#
# The guest's NIC is a tap on a Linux bridge in a network namespace made for
# this run (kgi-<pid>), with no link out of it. On the bridge (MTU 1450):
#   198.18.250.1/24    dnsmasq: DHCP, guest 198.18.250.10, router .1, MTU option 1450
#   198.18.250.254     python3 http.server standing in for nova's metadata API
#                      (latest/meta-data/instance-id, public-keys/0/openssh-key,
#                      openstack/latest/meta_data.json of ~300 KiB)
# The guest is told the metadata address with kolla.metadata_url= on its command
# line; it defaults to http://169.254.169.254 under nova. IPv6 is off in the
# namespace and in the guest.
#
# Checks, each printed with the time since qemu started: the boot marker, the
# lease, the instance-id, the metadata size, the public key, the root disk,
# ping, a ping of 1450 bytes with DF, and an HTTP fetch of the guest's 512 KiB
# file (sha256 against the manifest). Exit 0 only if every check passed.
# Everything it started is killed by PID and the namespace deleted, on failure
# too. --keep leaves the work directory (console log, dnsmasq log) in place.
# --cmdline replaces the kernel command line's base (default "console=tty0
# console=ttyS0"); panic=1 and kolla.metadata_url= are always added.
# Root only; needs qemu-system-x86, dnsmasq-base and iproute2 (installed with
# apt-get when missing).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
artifacts=""
keep=0
base_cmdline="console=tty0 console=ttyS0"
deadline=${KOLLA_GUEST_BOOT_DEADLINE:-240}
while [ $# -gt 0 ]; do
	case $1 in
	--artifacts)
		artifacts=$2
		shift 2
		;;
	--keep)
		keep=1
		shift
		;;
	--cmdline)
		base_cmdline=$2
		shift 2
		;;
	-h | --help)
		awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
		exit 0
		;;
	*)
		echo "boot-test: unknown argument $1" >&2
		exit 2
		;;
	esac
done
[ "$(id -u)" = 0 ] || {
	echo "boot-test: run as root" >&2
	exit 1
}

NET=198.18.250
GW=$NET.1
GUEST_IP=$NET.10
MD_IP=$NET.254
MTU=1450
MAC=52:54:00:4b:44:0a
INSTANCE_ID=i-kolla0000000a
PUBKEY="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKolLaDePloYgUeStBoOtTeStKeY0000000000 boot-test"
CMDLINE="$base_cmdline panic=1 kolla.metadata_url=http://$MD_IP"

t0=$(date +%s.%N)
since() { awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%6.1f", b - a }'; }
say() { printf '[boot-test %ss] %s\n' "$(since)" "$*"; }
passed=0
failed=0
pass() {
	passed=$((passed + 1))
	say "PASS $*"
}
fail() {
	failed=$((failed + 1))
	say "FAIL $*"
}

# --- tools ----------------------------------------------------------------------
need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
command -v dnsmasq >/dev/null || need+=(dnsmasq-base)
command -v ip >/dev/null || need+=(iproute2)
command -v ping >/dev/null || need+=(iputils-ping)
if [ ${#need[@]} -gt 0 ]; then
	say "apt-get install ${need[*]}"
	apt-get install -y -q --no-install-recommends "${need[@]}" >&2 ||
		{ apt-get update -qq && apt-get install -y -q --no-install-recommends "${need[@]}" >&2; }
fi
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3)

# --- artifacts ------------------------------------------------------------------
if [ -z "$artifacts" ]; then
	say "build.sh"
	built=$("$here/build.sh")
	artifacts=$(dirname "${built%%$'\n'*}")
fi
for f in vmlinuz initrd.img root.img manifest.json; do
	[ -f "$artifacts/$f" ] || {
		echo "boot-test: $artifacts/$f missing" >&2
		exit 1
	}
done
# manifest KEY...: a value of manifest.json (nested keys in order).
manifest() {
	"$py" -c 'import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2:]:
    v = v[k]
print(v)' "$artifacts/manifest.json" "$@"
}
payload_bytes=$(manifest payload bytes)
payload_sha=$(manifest payload sha256)
root_magic=$(manifest root_disk_magic)
say "artifacts $artifacts (kernel $(manifest kernel_release), initrd $(stat -c %s "$artifacts/initrd.img") B)"

# --- teardown -------------------------------------------------------------------
ns=kgi-$$
work=$(mktemp -d /tmp/kolla-guest-boot.XXXXXX)
pids=()
cleanup() {
	local rc=$? p i
	trap - EXIT INT TERM
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${pids[@]}"; do
		for i in $(seq 50); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	# Anything else still in our namespace was started by this run too.
	if ip netns pids "$ns" >/dev/null 2>&1; then
		for p in $(ip netns pids "$ns"); do
			echo "boot-test: pid $p still in $ns, killing it" >&2
			kill -9 "$p" 2>/dev/null || true
		done
	fi
	ip netns del "$ns" 2>/dev/null || true
	if [ "$rc" != 0 ] || [ "$keep" = 1 ]; then
		echo "boot-test: work directory kept: $work" >&2
	else
		rm -rf "$work"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- network --------------------------------------------------------------------
# The daemons below are started as `ip netns exec NS CMD &`, not through nsx: a
# shell function run with & is a subshell, so $! would be the subshell and not
# the daemon (ip netns exec execs CMD in place, so $! is the daemon).
nsx() { ip netns exec "$ns" "$@"; }
ip netns add "$ns"
nsx sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
nsx ip link set lo up
nsx ip link add br0 type bridge
nsx ip tuntap add dev tap0 mode tap
nsx ip link set tap0 mtu "$MTU" master br0 up
nsx ip link set br0 mtu "$MTU" up
nsx ip addr add "$GW/24" dev br0
nsx ip addr add "$MD_IP/32" dev br0

# metadata stand-in
md=$work/md
mkdir -p "$md/latest/meta-data/public-keys/0" "$md/openstack/latest"
printf '%s' "$INSTANCE_ID" >"$md/latest/meta-data/instance-id"
printf '%s\n' "$PUBKEY" >"$md/latest/meta-data/public-keys/0/openssh-key"
"$py" - "$md/openstack/latest/meta_data.json" "$INSTANCE_ID" <<'EOF'
import json, sys
# ~300 KiB, like a meta_data.json with a large user "meta" map: many MTUs long.
meta = {"k%04d" % i: ("v%04d-" % i) * 40 for i in range(1200)}
doc = {"uuid": "0a0a0a0a-0000-4000-8000-00000000000a", "name": "boot-test",
       "hostname": "kolla-guest", "availability_zone": "nova", "launch_index": 0,
       "project_id": "boot-test", "ec2_id": sys.argv[2], "meta": meta}
open(sys.argv[1], "w").write(json.dumps(doc))
EOF
md_bytes=$(stat -c %s "$md/openstack/latest/meta_data.json")

ip netns exec "$ns" dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 --user=root --group=root \
	--interface=br0 --bind-interfaces --dhcp-authoritative \
	--dhcp-range="$GUEST_IP,$GUEST_IP,255.255.255.0,1h" --dhcp-host="$MAC,$GUEST_IP" \
	--dhcp-option=option:router,"$GW" --dhcp-option=option:mtu,"$MTU" \
	--dhcp-option=option:dns-server,"$GW" \
	--dhcp-leasefile="$work/dnsmasq.leases" --log-dhcp --log-facility="$work/dnsmasq.log" \
	--pid-file="$work/dnsmasq.pid" >"$work/dnsmasq.out" 2>&1 &
pids+=($!)
ip netns exec "$ns" "$py" -m http.server --bind "$MD_IP" --directory "$md" 80 >"$work/metadata.log" 2>&1 &
pids+=($!)

# --- guest ----------------------------------------------------------------------
console=$work/console.log
: >"$console"
cp "$artifacts/root.img" "$work/root.img"
t0=$(date +%s.%N)
ip netns exec "$ns" qemu-system-x86_64 -accel tcg -m 256 -smp 1 -nographic -no-reboot \
	-kernel "$artifacts/vmlinuz" -initrd "$artifacts/initrd.img" -append "$CMDLINE" \
	-serial "file:$console" -monitor none \
	-netdev tap,id=n0,ifname=tap0,script=no,downscript=no \
	-device virtio-net-pci,netdev=n0,mac="$MAC" \
	-drive file="$work/root.img",if=virtio,format=raw \
	</dev/null >"$work/qemu.out" 2>&1 &
qemu=$!
pids+=("$qemu")
say "qemu pid $qemu in netns $ns, deadline ${deadline} s; console $console"

console_text() { tr -d '\r' <"$console"; }
# wait_line REGEX: the first console line matching it, or fail at the deadline.
wait_line() {
	local line
	while :; do
		line=$(console_text | grep -a -m 1 -E "$1" || true)
		if [ -n "$line" ]; then
			printf '%s\n' "$line"
			return 0
		fi
		if ! kill -0 "$qemu" 2>/dev/null; then
			say "qemu exited" >&2
			return 1
		fi
		if awk -v a="$t0" -v b="$(date +%s.%N)" -v d="$deadline" 'BEGIN { exit !(b - a > d) }'; then
			return 1
		fi
		sleep 0.5
	done
}
# check NAME REGEX [EXPECTED]: a console line matches REGEX (and equals
# EXPECTED when given). Sets seen[NAME] to the seconds since qemu started.
declare -A seen=()
check() {
	local got
	if got=$(wait_line "$2"); then
		seen[$1]=$(since | tr -d ' ')
		if [ $# -lt 3 ] || [ "$got" = "$3" ]; then
			pass "$1: $got"
		else
			fail "$1: got '$got', want '$3'"
		fi
	else
		fail "$1: no line matching '$2'"
	fi
}
# check_re NAME REGEX WANT: like check, the line must match the extended regex WANT.
check_re() {
	local got
	if got=$(wait_line "$2"); then
		seen[$1]=$(since | tr -d ' ')
		if grep -q -E "$3" <<<"$got"; then
			pass "$1: $got"
		else
			fail "$1: got '$got', want /$3/"
		fi
	else
		fail "$1: no line matching '$2'"
	fi
}
# uptime_of REGEX: the guest's uptime= on the console line matching REGEX.
uptime_of() { console_text | grep -a -m 1 -E "$1" | sed -n 's/.*uptime=\([0-9.]*\).*/\1/p'; }

check marker '^KOLLA-DEPLOY-GUEST-READY' KOLLA-DEPLOY-GUEST-READY
check lease '^KOLLA-GUEST-LEASE ' "KOLLA-GUEST-LEASE ip=$GUEST_IP mask=255.255.255.0 router=$GW mtu=$MTU"
check_re net '^KOLLA-GUEST-NET ' '^KOLLA-GUEST-NET iface=eth0 lease=yes uptime=[0-9.]+$'
check httpd '^KOLLA-GUEST-HTTPD ' "KOLLA-GUEST-HTTPD port=80 bytes=$payload_bytes"
check disk '^KOLLA-GUEST-DISK ' "KOLLA-GUEST-DISK dev=vda bytes=1048576 head=$root_magic"
check instance-id '^KOLLA-GUEST-INSTANCE-ID ' "KOLLA-GUEST-INSTANCE-ID $INSTANCE_ID"
check metadata '^KOLLA-GUEST-METADATA-BYTES ' "KOLLA-GUEST-METADATA-BYTES $md_bytes"
check pubkey '^KOLLA-GUEST-PUBKEY ' "KOLLA-GUEST-PUBKEY ${PUBKEY:0:40}"
check boot-done '^KOLLA-GUEST-BOOT-DONE uptime=[0-9.]+$'

# ping_check NAME OUT PING-ARGS...: up to 3 tries.
ping_check() {
	local name=$1 out=$2 try
	shift 2
	for try in 1 2 3; do
		if nsx ping "$@" >"$out" 2>&1; then
			pass "$name: $(tail -n 1 "$out")"
			return 0
		fi
		sleep 1
	done
	fail "$name: $(tail -n 2 "$out" | tr '\n' ' ')"
}
ping_check "ping $GUEST_IP" "$work/ping.out" -c 3 -i 0.5 -W 5 "$GUEST_IP"
# 1422 bytes of ICMP payload + 28 of headers = 1450: the largest packet the
# guest's MTU lets through unfragmented, both ways.
ping_check "ping DF $MTU bytes" "$work/ping-mtu.out" -c 2 -i 0.5 -W 5 -M do -s $((MTU - 28)) "$GUEST_IP"

if fetched=$(nsx "$py" - "http://$GUEST_IP/big.bin" <<'EOF'
import hashlib, sys, time, urllib.request
t = time.monotonic()
body = urllib.request.urlopen(sys.argv[1], timeout=60).read()
print(len(body), hashlib.sha256(body).hexdigest(), "%.2f" % (time.monotonic() - t))
EOF
); then
	read -r got_bytes got_sha secs <<<"$fetched"
	if [ "$got_bytes" = "$payload_bytes" ] && [ "$got_sha" = "$payload_sha" ]; then
		pass "http fetch of big.bin: $got_bytes B, sha256 matches, ${secs} s"
	else
		fail "http fetch of big.bin: $got_bytes B sha256 $got_sha, want $payload_bytes B $payload_sha"
	fi
else
	fail "http fetch of big.bin: $fetched"
fi

errors=$(console_text | grep -a -E '^KOLLA-GUEST-ERROR|Kernel panic' || true)
if [ -z "$errors" ]; then
	pass "no KOLLA-GUEST-ERROR or panic on the console"
else
	fail "console: $errors"
fi
if kill -0 "$qemu" 2>/dev/null; then
	pass "guest still running after $(since | tr -d ' ') s"
else
	fail "qemu exited: $(tail -n 3 "$work/qemu.out" | tr '\n' ' ')"
fi

say "timing: after qemu started, marker ${seen[marker]:-?} s, lease ${seen[lease]:-?} s," \
	"metadata ${seen[metadata]:-?} s; guest uptime at marker $(uptime_of '^KOLLA-GUEST-IMAGE ') s," \
	"after DHCP $(uptime_of '^KOLLA-GUEST-NET ') s, boot done $(uptime_of '^KOLLA-GUEST-BOOT-DONE ') s"
say "console lines:"
console_text | grep -a -E '^KOLLA-' | sed 's/^/    /'
echo "boot-test: $passed passed, $failed failed"
[ "$failed" = 0 ]
