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
  local t0 t1
  t0=$(now)
  "$build/cmd/tseeder/tseeder" --socket "$work/var/tseederd.sock" add "$url" --wait >/dev/null
  t1=$(now)
  local rss
  rss=$(awk '/VmHWM/ { print $2 }' "/proc/$dpid/status")
  kill "$dpid"
  wait "$dpid" || true
  rm -f "$work/ready"
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') $rss"
}

echo "http_fetch: ${size_mib} MiB over loopback, $runs runs each, $(nproc) cores"
printf '%-8s %4s %10s %12s\n' tool run MB/s "peak RSS KiB"
declare -A speeds rsss
for r in $(seq "$runs"); do
  for tool in tseeder curl aria2; do
    read -r secs rss < <("run_$tool")
    speed=$(mbps "$secs")
    printf '%-8s %4s %10s %12s\n' "$tool" "$r" "$speed" "$rss"
    speeds[$tool]+="$speed "
    rsss[$tool]+="$rss "
  done
done
echo "medians:"
for tool in tseeder curl aria2; do
  m=$(echo "${speeds[$tool]}" | tr ' ' '\n' | grep . | median)
  mr=$(echo "${rsss[$tool]}" | tr ' ' '\n' | grep . | median)
  printf '  %-8s %8s MB/s  %8s KiB peak RSS\n' "$tool" "$m" "$mr"
  eval "med_$tool=$m"
done
best=$(awk -v a="$med_curl" -v b="$med_aria2" 'BEGIN { print (a > b) ? a : b }')
ratio=$(awk -v t="$med_tseeder" -v b="$best" 'BEGIN { printf "%.2f", t / b }')
echo "ratio tseeder / best of curl and aria2c: $ratio"
