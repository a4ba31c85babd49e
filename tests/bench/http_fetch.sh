#!/usr/bin/env bash
# One large file over loopback HTTP: tseeder (tseederd + engine-http, its default four connections
# and with one), a minimal libcurl loop (512 KiB buffer, write(2): the floor for one connection),
# `curl -o` and `aria2c -x8 -s8`, same file, same server, same machine, in one run. Prints MB/s
# and peak RSS per run, medians, and the ratio tseeder / best of the others.
#   tests/bench/http_fetch.sh [BUILD_DIR] [RUNS] [SIZE_MIB]
# THROTTLE_MBPS=20 puts a proxy in front of the server that caps each connection at that many
# MB/s, as many hosts do; then what several connections gain shows.
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
if [ -n "${THROTTLE_MBPS:-}" ]; then
  /usr/bin/python3 "$root/tests/tools/throttle_proxy.py" --upstream "127.0.0.1:$(cat "$work/port")" \
    --rate $((THROTTLE_MBPS * 1000000)) --port-file "$work/proxy.port" &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$work/proxy.port" ] && break; sleep 0.1; done
  url="http://127.0.0.1:$(cat "$work/proxy.port")/blob.bin"
fi

# timed CMD…: "seconds peak-RSS-KiB" of one command.
timed() {
  local t0 t1
  t0=$(now)
  /usr/bin/time -f %M -o "$work/rss" "$@"
  t1=$(now)
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') $(cat "$work/rss")"
}

run_loop() { rm -f "$work/loop.out"; timed "$build/tests/curl_loop" "$url" "$work/loop.out"; }
run_curl() { rm -f "$work/curl.out"; timed curl -s -o "$work/curl.out" "$url"; }
run_aria2() {
  rm -rf "$work/aria"
  timed aria2c -q -x8 -s8 -k1M --allow-overwrite=true --file-allocation=none -d "$work/aria" -o blob.bin "$url"
}

# tseeder_with CONNECTIONS: a fresh daemon, `tseeder add URL --wait`, the daemon stopped.
tseeder_with() {
  rm -rf "$work/var"
  # The server is on loopback; the others do not scan, so neither does tseeder here.
  printf 'scan:\n  enabled: false\nengine_http:\n  connections: %s\n' "$1" > "$work/tseederd.yaml"
  "$build/daemon/tseederd" --data-dir "$work/var" --listen 127.0.0.1:0 --plugin-dir "$build/plugins" \
    --config "$work/tseederd.yaml" --allow-private-urls --ready-file "$work/ready" --log-level warn \
    >/dev/null 2>"$work/tseederd.log" &
  local dpid=$!
  for _ in $(seq 100); do [ -s "$work/ready" ] && break; sleep 0.1; done
  timed_add "$dpid" "$build" "$work/var/tseederd.sock" "$url"
}
run_tseeder() { tseeder_with 4; }
run_tseeder1() { tseeder_with 1; }

echo "http_fetch: ${size_mib} MiB over loopback${THROTTLE_MBPS:+, each connection capped at ${THROTTLE_MBPS} MB/s}," \
  "$runs runs each, $(nproc) cores"
compare_runs "$runs" tseeder tseeder1 loop curl aria2
