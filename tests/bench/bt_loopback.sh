#!/usr/bin/env bash
# BitTorrent over loopback: one python3-libtorrent seeder (and opentracker), the same torrents
# downloaded in turn by tseeder, qbittorrent-nox, transmission-cli, aria2c and ctorrent, each
# into a fresh directory, every download checked byte for byte. Two torrents: one big file and
# many small files. Prints MB/s, CPU seconds, peak RSS and peak anonymous memory per run, the
# medians, and the ratio tseeder / best peer. Client `tseeder-inline` is tseeder with
# engine_torrent.disk_thread off; TSEEDER_EXTRA="  key: value" adds lines to tseederd's
# engine_torrent section, for trying a setting.
#   tests/bench/bt_loopback.sh [BUILD_DIR] [RUNS] [SINGLE_MIB] [MANY_FILES] [MANY_MIB] [CLIENTS]
# PERF_DIR=DIR also records tseederd with perf (linux-perf) during each of its runs, for
# `perf report -i DIR/<set>-<run>.data`.
# The seeder dials each client as it starts (transmission ignores loopback peers from a tracker);
# the tracker is there for clients that insist on one.
set -euo pipefail
build=${1:-build}
runs=${2:-3}
single_mib=${3:-2048}
many_files=${4:-1000}
many_mib=${5:-500}
clients=${6:-"tseeder qbittorrent transmission aria2 ctorrent"}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "$build" && pwd)
source "$here/bench_common.sh"
bench_setup tseeder-btbench aria2c opentracker qbittorrent-nox transmission-cli ctorrent curl /usr/bin/python3
chmod 755 "$work"  # opentracker reads its whitelist as nobody

wait_file() { for _ in $(seq 600); do [ -s "$1" ] && return 0; sleep 0.1; done; echo "timed out waiting for $1" >&2; return 1; }

# ---- content, torrents, tracker, seeders ----
mkdir -p "$work/data/many"
head -c $((single_mib * 1024 * 1024)) /dev/urandom > "$work/data/single.bin"
per_file=$((many_mib * 1024 * 1024 / many_files))
/usr/bin/python3 - "$work/data/many" "$many_files" "$per_file" <<'PY'
import os, sys
d, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(n):
    # 0.2x to 1.8x of the mean, in 10 directories, as the shared harness makes them.
    sub = os.path.join(d, "dir%02d" % (i % 10))
    os.makedirs(sub, exist_ok=True)
    with open(os.path.join(sub, "file%04d.bin" % i), "wb") as f:
        f.write(os.urandom(int(size * (0.2 + 1.6 * ((i * 7919) % 1000) / 1000))))
PY
# As the shared harness (../shared/bench-anchors): private v1 torrents, 1 MiB pieces for the big
# file and 512 KiB for the many, a seeder with high_performance_seed() that hashed its data before
# seeding. A default-settings seeder in seed mode (hashing each piece when first asked for it) held
# ctorrent to 142 MB/s where the harness's seeder lets it reach 243.
seed_args() { if [ "$1" = single ]; then echo --private --piece-size 1048576; else echo --private --piece-size 524288; fi; }
tport=$(free_port)
announce="http://127.0.0.1:$tport/announce"
: > "$work/whitelist"
for set in single many; do
  content="$work/data/single.bin"
  [ "$set" = many ] && content="$work/data/many"
  mkdir -p "$work/$set"
  /usr/bin/python3 "$root/tests/tools/bt_seeder.py" --content "$content" --tracker "$announce" \
    --torrent-out "$work/$set/t.torrent" --magnet-out "$work/$set/infohash" --port-file "$work/$set/unused" \
    $(seed_args "$set") --make-only
  cat "$work/$set/infohash" >> "$work/whitelist"
done
opentracker -i 127.0.0.1 -p "$tport" -P "$tport" -d "$work" -w whitelist >/dev/null 2>&1 &
pids+=($!)
for set in single many; do
  content="$work/data/single.bin"
  [ "$set" = many ] && content="$work/data/many"
  /usr/bin/python3 "$root/tests/tools/bt_seeder.py" --content "$content" --tracker "$announce" \
    --torrent-out "$work/$set/t.torrent" --magnet-out "$work/$set/magnet" --port-file "$work/$set/port" --host 127.0.0.2 \
    --connect-file "$work/$set/dial" $(seed_args "$set") --high-performance --check >/dev/null 2>&1 &
  pids+=($!)
  wait_file "$work/$set/port"
done

# ---- measuring one client process ----
# watch PID DONE_CMD: samples /proc/PID every 0.1 s until DONE_CMD succeeds or PID exits; sets
# W_CPU (user+system seconds), W_HWM (peak RSS KiB), W_ANON (peak anonymous RSS KiB).
# A run that takes longer than RUN_TIMEOUT_S (default 900) is stopped and the benchmark fails.
watch_proc() {
  local pid=$1 done_cmd=$2 hz deadline
  hz=$(getconf CLK_TCK)
  deadline=$(($(date +%s) + ${RUN_TIMEOUT_S:-900}))
  W_CPU=0 W_HWM=0 W_ANON=0
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "pid $pid still running after ${RUN_TIMEOUT_S:-900} s: stopped" >&2
      kill "$pid" 2>/dev/null || true
      return 1
    fi
    if [ -r "/proc/$pid/status" ]; then
      local st anon hwm cpu
      st=$(cat "/proc/$pid/status" 2>/dev/null) || true
      anon=$(awk '/^RssAnon/ { print $2 }' <<<"$st")
      hwm=$(awk '/^VmHWM/ { print $2 }' <<<"$st")
      cpu=$(awk -v hz="$hz" '{ print ($14 + $15) / hz }' "/proc/$pid/stat" 2>/dev/null) || true
      [ -n "$anon" ] && [ "$anon" -gt "$W_ANON" ] && W_ANON=$anon
      [ -n "$hwm" ] && [ "$hwm" -gt "$W_HWM" ] && W_HWM=$hwm
      [ -n "$cpu" ] && W_CPU=$cpu
    fi
    eval "$done_cmd" && return 0
    sleep 0.1
  done
  return 0
}

# check SET DIR: the download in DIR equals the seeded content.
check() {
  if [ "$1" = single ]; then
    cmp -s "$work/data/single.bin" "$(find "$2" -type f -name single.bin | head -1)"
  else
    diff -r -q "$work/data/many" "$(find "$2" -type d -name many | head -1)" >/dev/null
  fi
}

dial() { echo "127.0.0.1:$2" >> "$work/$1/dial"; }

# Each run_* prints "seconds cpu_seconds peak_rss_kib peak_anon_kib" for SET into a fresh DIR.
run_tseeder() {
  local set=$1 dir=$2 port
  port=$(free_port)
  # No virus scan: the other clients do none either (the shared harness turns it off too).
  cat > "$dir.yaml" <<YAML
scan:
  enabled: false
engine_torrent:
  listen_interfaces: "127.0.0.1:$port"
  dht: false
  lsd: false
  upnp: false
  natpmp: false
${TSEEDER_EXTRA:-}
YAML
  # The seeder is on loopback, which the address guard keeps peers away from by default.
  "$build/daemon/tseederd" --config "$dir.yaml" --data-dir "$dir" --listen 127.0.0.1:0 --allow-private-urls \
    --plugin-dir "$build/plugins" --ready-file "$dir.ready" --log-level warn >/dev/null 2>"$dir.log" &
  local dpid=$!
  wait_file "$dir.ready"
  # PERF_DIR set: perf records tseederd's CPU (call graphs) from the add to the end of the run.
  local perf_pid=
  if [ -n "${PERF_DIR:-}" ]; then
    mkdir -p "$PERF_DIR"
    perf record -e cpu-clock -F 999 -g -o "$PERF_DIR/$set-$(basename "$dir").data" -p "$dpid" >/dev/null 2>&1 &
    perf_pid=$!
  fi
  local t0 t1
  t0=$(now)
  "$build/cmd/tseeder/tseeder" --socket "$dir/tseederd.sock" add "$work/$set/t.torrent" --wait \
    >/dev/null 2>&1 &
  local apid=$!
  dial "$set" "$port"
  watch_proc "$dpid" "! kill -0 $apid 2>/dev/null"
  t1=$(now)
  if [ -n "$perf_pid" ]; then kill -INT "$perf_pid"; wait "$perf_pid" || true; fi
  wait "$apid"
  kill "$dpid"
  wait "$dpid" || true
  check "$set" "$dir/storage" || { echo "tseeder: wrong data" >&2; return 1; }
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') $W_CPU $W_HWM $W_ANON"
}

# The same daemon with libtorrent's disk I/O on its network thread, for comparison.
run_tseeder-inline() { TSEEDER_EXTRA="  disk_thread: false" run_tseeder "$@"; }

run_aria2() {
  local set=$1 dir=$2 port t0 t1
  port=$(free_port)
  t0=$(now)
  aria2c -q --seed-time=0 --enable-dht=false --enable-dht6=false --bt-enable-lpd=false \
    --enable-peer-exchange=false --file-allocation=none --listen-port="$port" -d "$dir" \
    "$work/$set/t.torrent" >/dev/null 2>&1 &
  local pid=$!
  dial "$set" "$port"
  watch_proc "$pid" false
  t1=$(now)
  wait "$pid"
  check "$set" "$dir" || { echo "aria2c: wrong data" >&2; return 1; }
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') $W_CPU $W_HWM $W_ANON"
}

run_ctorrent() {
  local set=$1 dir=$2 port t0 t1 name=single.bin
  [ "$set" = many ] && name=many
  port=$(free_port)
  mkdir -p "$dir"
  t0=$(now)
  # Timed to its completion hook (-X), as the shared harness does: after the download ctorrent
  # idles for many seconds in "Quitting" before it exits, which timing to the exit counted.
  (cd "$dir" && exec ctorrent -e 0 -i 127.0.0.1 -p "$port" -s "$dir/$name" -b "$dir.bf" -X "touch $dir.done" \
    "$work/$set/t.torrent" >/dev/null 2>&1) &
  local pid=$!
  dial "$set" "$port"
  watch_proc "$pid" "[ -e $dir.done ]"
  t1=$(now)
  kill "$pid" 2>/dev/null || true
  wait "$pid" || true
  check "$set" "$dir" || { echo "ctorrent: wrong data" >&2; return 1; }
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') $W_CPU $W_HWM $W_ANON"
}

run_transmission() {
  local set=$1 dir=$2 port t0 t1
  port=$(free_port)
  mkdir -p "$dir.cfg" "$dir"
  cat > "$dir.cfg/settings.json" <<JSON
{"dht-enabled": false, "lpd-enabled": false, "pex-enabled": false, "utp-enabled": false,
 "port-forwarding-enabled": false, "peer-port": $port, "speed-limit-down-enabled": false,
 "speed-limit-up-enabled": false, "ratio-limit-enabled": false}
JSON
  printf '#!/bin/sh\ntouch %s.done\n' "$dir" > "$dir.finish"
  chmod +x "$dir.finish"
  t0=$(now)
  transmission-cli -g "$dir.cfg" -w "$dir" -p "$port" -M -f "$dir.finish" "$work/$set/t.torrent" \
    >/dev/null 2>&1 &
  local pid=$!
  dial "$set" "$port"
  watch_proc "$pid" "[ -e $dir.done ]"
  t1=$(now)
  kill "$pid" 2>/dev/null || true
  wait "$pid" || true
  check "$set" "$dir" || { echo "transmission-cli: wrong data" >&2; return 1; }
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') $W_CPU $W_HWM $W_ANON"
}

run_qbittorrent() {
  local set=$1 dir=$2 port webui t0 t1
  port=$(free_port)
  webui=$(free_port)
  mkdir -p "$dir"
  qbittorrent_profile "$dir.profile" "$dir" "$port" "$webui"
  t0=$(now)
  qbittorrent-nox --profile="$dir.profile" --save-path="$dir" --skip-dialog=true "$work/$set/t.torrent" \
    >/dev/null 2>&1 &
  local pid=$!
  dial "$set" "$port"
  local url="http://127.0.0.1:$webui/api/v2/torrents/info"
  watch_proc "$pid" "curl -s $url | grep -q '\"progress\":1[,}]'"
  t1=$(now)
  kill "$pid" 2>/dev/null || true
  wait "$pid" || true
  check "$set" "$dir" || { echo "qbittorrent-nox: wrong data" >&2; return 1; }
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') $W_CPU $W_HWM $W_ANON"
}

# ---- the runs ----
declare -A speed cpu hwm anon
for set in single many; do
  if [ "$set" = single ]; then
    bytes=$(stat -c %s "$work/data/single.bin")
    echo "== single: one ${single_mib} MiB file"
  else
    bytes=$(du -sb "$work/data/many" | awk '{ print $1 }')
    echo "== many: $many_files files, $((bytes / 1000000)) MB"
  fi
  printf '%-13s %4s %8s %8s %12s %12s\n' client run MB/s CPU-s "peak RSS KiB" "peak anon KiB"
  for r in $(seq "$runs"); do
    for c in $clients; do
      dir="$work/run-$set-$c-$r"
      read -r secs cpu_s rss an < <("run_$c" "$set" "$dir")
      mbs=$(awk -v b="$bytes" -v s="$secs" 'BEGIN { printf "%.0f", b / s / 1e6 }')
      printf '%-13s %4s %8s %8s %12s %12s\n' "$c" "$r" "$mbs" "$cpu_s" "$rss" "$an"
      speed[$set.$c]+="$mbs "
      cpu[$set.$c]+="$cpu_s "
      hwm[$set.$c]+="$rss "
      anon[$set.$c]+="$an "
      rm -rf "$dir" "$dir".*  # keep the disk free and the next client's page cache honest
    done
  done
  echo "medians ($set):"
  best=0 best_name=
  for c in $clients; do
    m=$(tr ' ' '\n' <<<"${speed[$set.$c]}" | grep . | median)
    printf '  %-13s %6s MB/s %7s CPU-s %9s KiB peak RSS %9s KiB peak anon\n' "$c" "$m" \
      "$(tr ' ' '\n' <<<"${cpu[$set.$c]}" | grep . | median)" \
      "$(tr ' ' '\n' <<<"${hwm[$set.$c]}" | grep . | median)" \
      "$(tr ' ' '\n' <<<"${anon[$set.$c]}" | grep . | median)"
    if [ "$c" = tseeder ]; then
      mine=$m
    elif [[ $c == tseeder-* ]]; then
      :
    elif awk -v a="$m" -v b="$best" 'BEGIN { exit !(a > b) }'; then
      best=$m best_name=$c
    fi
  done
  if [ -n "${mine:-}" ] && [ -n "$best_name" ]; then
    echo "  ratio tseeder / best peer ($best_name): $(awk -v t="$mine" -v b="$best" 'BEGIN { printf "%.2f", t / b }')"
  fi
done
