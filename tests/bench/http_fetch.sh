#!/usr/bin/env bash
# 1 GiB over loopback HTTP: tseeder (tseederd + engine-http) vs `curl -o` vs `aria2c -x8 -s8`,
# same file, same server, same machine, in one run. Prints MB/s and peak RSS per run, medians,
# and the ratio tseeder / best of the others.
#   tests/bench/http_fetch.sh [BUILD_DIR] [RUNS] [SIZE_MIB]
set -euo pipefail
build=${1:-build}
runs=${2:-3}
size_mib=${3:-1024}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "$build" && pwd)
source "$here/bench_common.sh"
bench_setup tseeder-bench curl aria2c /usr/bin/time /usr/bin/python3
serve_blob "$size_mib"

run_curl() {
  rm -f "$work/curl.out"
  local t0 t1
  t0=$(now)
  /usr/bin/time -f %M -o "$work/rss" curl -s -o "$work/curl.out" "$url"
  t1=$(now)
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') $(cat "$work/rss")"
}

run_aria2() {
  rm -rf "$work/aria"
  local t0 t1
  t0=$(now)
  /usr/bin/time -f %M -o "$work/rss" aria2c -q -x8 -s8 -k1M --allow-overwrite=true \
    --file-allocation=none -d "$work/aria" -o blob.bin "$url"
  t1=$(now)
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') $(cat "$work/rss")"
}

run_tseeder() {
  rm -rf "$work/var"
  # The server is on loopback; curl and aria2c do not scan, so neither does tseeder here.
  printf 'scan:\n  enabled: false\n' > "$work/tseederd.yaml"
  "$build/daemon/tseederd" --data-dir "$work/var" --listen 127.0.0.1:0 --plugin-dir "$build/plugins" \
    --config "$work/tseederd.yaml" --allow-private-urls --ready-file "$work/ready" --log-level warn \
    >/dev/null 2>"$work/tseederd.log" &
  local dpid=$!
  for _ in $(seq 100); do [ -s "$work/ready" ] && break; sleep 0.1; done
  timed_add "$dpid" "$build" "$work/var/tseederd.sock" "$url"
}

echo "http_fetch: ${size_mib} MiB over loopback, $runs runs each, $(nproc) cores"
compare_runs "$runs" tseeder curl aria2
