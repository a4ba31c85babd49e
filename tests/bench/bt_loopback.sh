#!/usr/bin/env bash
# One python3-libtorrent seeder on loopback and a tracker; the same .torrent downloaded in turn
# by tseeder and by the peer clients, each into a fresh directory. Prints MB/s, CPU seconds and
# peak RSS per run, medians and the ratio tseeder / best peer.
#   tests/bench/bt_loopback.sh [BUILD_DIR] [RUNS] [SIZE_MIB]
# Peers measured so far: aria2c. (transmission-cli, qbittorrent-nox and ctorrent: not yet.)
set -euo pipefail
build=${1:-build}
runs=${2:-3}
size_mib=${3:-2048}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "$build" && pwd)
for tool in aria2c opentracker /usr/bin/time /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool: run make deps" >&2; exit 1; }
done

work=$(mktemp -d /tmp/tseeder-btbench.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

mkdir -p "$work/seed"
head -c $((size_mib * 1024 * 1024)) /dev/urandom > "$work/seed/blob.bin"
bytes=$(stat -c %s "$work/seed/blob.bin")
tport=$(free_port)
url="http://127.0.0.1:$tport/announce"
seeder=(/usr/bin/python3 "$root/tests/tools/bt_seeder.py" --content "$work/seed/blob.bin" --tracker "$url"
        --torrent-out "$work/t.torrent" --port-file "$work/seed.port")
"${seeder[@]}" --magnet-out "$work/whitelist" --make-only
opentracker -i 127.0.0.1 -p "$tport" -P "$tport" -d "$work" -w whitelist >/dev/null 2>&1 &
pids+=($!)
"${seeder[@]}" --magnet-out "$work/magnet" >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 300); do [ -s "$work/seed.port" ] && break; sleep 0.1; done

cat > "$work/bt.yaml" <<YAML
engine_torrent:
  listen_interfaces: "127.0.0.1:0"
  dht: false
  lsd: false
  upnp: false
  natpmp: false
  allow_multiple_connections_per_ip: true
YAML

# Prints "seconds cpu_seconds peak_rss_kib" for one run.
run_tseeder() {
  rm -rf "$work/var" "$work/ready"
  "$build/daemon/tseederd" --config "$work/bt.yaml" --data-dir "$work/var" --listen 127.0.0.1:0 \
    --plugin-dir "$build/plugins" --ready-file "$work/ready" --log-level warn >/dev/null 2>"$work/tseederd.log" &
  local dpid=$!
  for _ in $(seq 100); do [ -s "$work/ready" ] && break; sleep 0.1; done
  local t0 t1
  t0=$(now)
  "$build/cmd/tseeder/tseeder" --socket "$work/var/tseederd.sock" add "$work/t.torrent" --wait >/dev/null
  t1=$(now)
  local rss cpu
  rss=$(awk '/VmHWM/ { print $2 }' "/proc/$dpid/status")
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$dpid/stat")
  kill "$dpid"
  wait "$dpid" || true
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') $cpu $rss"
}

run_aria2() {
  rm -rf "$work/aria"
  local t0 t1
  t0=$(now)
  /usr/bin/time -f "%U %S %M" -o "$work/time" aria2c -q --seed-time=0 --enable-dht=false --enable-dht6=false \
    --bt-enable-lpd=false --enable-peer-exchange=false --file-allocation=none -d "$work/aria" "$work/t.torrent"
  t1=$(now)
  read -r u s m < "$work/time"
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') $(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }') $m"
}

echo "bt_loopback: ${size_mib} MiB single file, one libtorrent seeder, $runs runs each, $(nproc) cores"
printf '%-8s %4s %8s %8s %12s\n' tool run MB/s CPU-s "peak RSS KiB"
declare -A speeds cpus rsss
for r in $(seq "$runs"); do
  for tool in tseeder aria2; do
    read -r secs cpu rss < <("run_$tool")
    speed=$(awk -v b="$bytes" -v s="$secs" 'BEGIN { printf "%.0f", b / s / 1e6 }')
    printf '%-8s %4s %8s %8s %12s\n' "$tool" "$r" "$speed" "$cpu" "$rss"
    speeds[$tool]+="$speed "
    cpus[$tool]+="$cpu "
    rsss[$tool]+="$rss "
  done
done
echo "medians:"
for tool in tseeder aria2; do
  m=$(echo "${speeds[$tool]}" | tr ' ' '\n' | grep . | median)
  c=$(echo "${cpus[$tool]}" | tr ' ' '\n' | grep . | median)
  mr=$(echo "${rsss[$tool]}" | tr ' ' '\n' | grep . | median)
  printf '  %-8s %8s MB/s  %6s CPU-s  %8s KiB peak RSS\n' "$tool" "$m" "$c" "$mr"
  eval "med_$tool=$m"
done
echo "ratio tseeder / best peer (aria2c): $(awk -v t="$med_tseeder" -v b="$med_aria2" 'BEGIN { printf "%.2f", t / b }')"
