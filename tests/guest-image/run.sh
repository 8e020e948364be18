#!/usr/bin/env bash
# The guest image's test, kept out of the vitest suite: it needs root, qemu and
# about a minute under TCG. Builds the guest (or takes it from the cache) and
# boots it RUNS times in a row (default 2) with tools/guest-image/boot-test.sh;
# exits non-zero at the first boot that fails a check.
#
#   nice -n 10 tests/guest-image/run.sh [RUNS]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
runs=${1:-2}
"$repo/tools/guest-image/build.sh" >/dev/null
for i in $(seq "$runs"); do
	echo "== boot $i of $runs"
	"$repo/tools/guest-image/boot-test.sh"
done
