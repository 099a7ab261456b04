#!/usr/bin/env bash
# Runs the test suite N times in a row, each time from a fresh clone of HEAD, while stress-ng holds
# the cores, the disk and memory: a suite that passes here does not depend on a quiet machine.
#
#   N=5          rounds; it stops at the first failure
#   LOAD=2       stress-ng workers per kind (--cpu, --io), plus one 1 GiB --vm worker; 0 for none
#   MODULES=...  run `./mvnw verify -pl MODULES -am` instead of `make test` (e.g. runner-image,operator)
#   REV=...      the commit to test (default HEAD), so that a soak can go on later on the same one
#
# Each round's log is kept in $SOAK_DIR (default: a new folder under /tmp), and its time is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${N:-5}
load=${LOAD:-2}
modules=${MODULES:-}
soak_dir=${SOAK_DIR:-$(mktemp -d /tmp/etl-soak.XXXXXX)}
head=$(git rev-parse "${REV:-HEAD}")

burner=
stop_burner() { [ -z "$burner" ] || kill "$burner" 2>/dev/null || true; }
trap stop_burner EXIT
if [ "$load" -gt 0 ]; then
  if ! command -v stress-ng >/dev/null; then
    [ "$(id -u)" = 0 ] || { echo "stress-ng is missing: apt-get install stress-ng" >&2; exit 1; }
    apt-get install -y -qq stress-ng >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq stress-ng >/dev/null; }
  fi
  stress-ng --cpu "$load" --io "$load" --vm 1 --vm-bytes 1G --timeout 24h --quiet &
  burner=$!
  echo "load: stress-ng --cpu $load --io $load --vm 1 --vm-bytes 1G (pid $burner)"
fi

echo "commit: $head"
passed=0
for round in $(seq 1 "$rounds"); do
  clone="$soak_dir/clone-$round"
  git clone -q --no-hardlinks . "$clone"
  git -C "$clone" checkout -q "$head"
  log="$soak_dir/round-$round.log"
  start=$(date +%s)
  if [ -n "$modules" ]; then
    command=(./mvnw -B verify -pl "$modules" -am)
  else
    command=(make test)
  fi
  if (cd "$clone" && "${command[@]}") >"$log" 2>&1; then
    passed=$((passed + 1))
    echo "round $round of $rounds: passed in $(( $(date +%s) - start )) s"
    rm -rf "$clone"
  else
    echo "round $round of $rounds: FAILED after $(( $(date +%s) - start )) s; log: $log"
    grep -E "Tests run:.*(Failures: [1-9]|Errors: [1-9])|<<< (FAILURE|ERROR)" "$log" | head -20 || true
    echo "soak: $passed passed, 1 failed"
    exit 1
  fi
done
echo "soak: $passed passed, 0 failed (logs: $soak_dir)"
