#!/usr/bin/env bash
# Serving a stored job as a zip, from local disk and from S3 (Swift with s3api on loopback),
# against the peers that read the same bytes: the plain file route of the same daemon (local),
# and `rclone cat` and a presigned GET straight from the bucket (S3, through the download link's redirect). Same file, one run; prints
# MB/s per run, medians and ratios.
#   tests/bench/zip_serve.sh [BUILD_DIR] [RUNS] [SIZE_MIB]
set -euo pipefail
build=${1:-build}
runs=${2:-3}
size_mib=${3:-512}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "$build" && pwd)
source "$here/bench_common.sh"
bench_setup tseeder-zipbench rclone curl swift-proxy-server memcached /usr/bin/python3

start_swift
serve_blob "$size_mib"

# start_daemon NAME STORAGE_YAML: a tseederd on $work/NAME; its job for the blob, completed.
start_daemon() {
  local name=$1
  printf 'storage:\n%s\nscan:\n  enabled: false\n' "$2" > "$work/$name.yaml"
  "$build/daemon/tseederd" --data-dir "$work/$name" --listen 127.0.0.1:0 --plugin-dir "$build/plugins" \
    --config "$work/$name.yaml" --allow-private-urls --ready-file "$work/$name.ready" > /dev/null 2> "$work/$name.log" &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$work/$name.ready" ] && break; sleep 0.1; done
  "$build/cmd/tseeder/tseeder" --socket "$work/$name/tseederd.sock" add "$url" --wait > /dev/null
}
cli() { "$build/cmd/tseeder/tseeder" --socket "$work/$1/tseederd.sock" "${@:2}"; }
job_of() { cli "$1" --json ls | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["jobs"][0]["id"])'; }
api() { curl -sf --unix-socket "$work/$1/tseederd.sock" "http://localhost$2"; }
file_of() { api "$1" "/jobs/$2/files" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["files"][0]["id"])'; }
# get SOCKET PATH: seconds to read it all over the daemon's Unix socket (as its operator).
get() { curl -sf --unix-socket "$work/$1/tseederd.sock" "http://localhost$2" -o /dev/null -w '%{time_total}'; }

start_daemon local "  backend: local"
start_daemon s3 "  backend: s3
  s3:
    endpoint: $endpoint
    bucket: bench
    access_key: \"test:tester\"
    secret_key: testing"
lj=$(job_of local)
lf=$(file_of local "$lj")
sj=$(job_of s3)
sf=$(file_of s3 "$sj")
key="local/$sj/files/blob.bin"

timed() { local t0 t1; t0=$(now); "$@" > /dev/null; t1=$(now); awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'; }
presigned() {
  curl -sfL "$(api s3 "/jobs/$sj/files/$sf/url" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["url"])')" \
    -o /dev/null -w '%{time_total}'
}

declare -A what=(
  [local_zip]="get local /jobs/$lj/zip"
  [local_file]="get local /jobs/$lj/files/$lf/content"
  [s3_zip]="get s3 /jobs/$sj/zip"
  [rclone_cat]="timed rclone cat sw:bench/$key"
  [presigned]="presigned"
)
order=(local_zip local_file s3_zip rclone_cat presigned)
echo "$size_mib MiB job served as a zip vs its peers, loopback, $runs runs"
for i in $(seq "$runs"); do
  for k in "${order[@]}"; do
    s=$(${what[$k]})
    echo "$s" >> "$work/t.$k"
    printf 'run %d %-10s %7.3f s  %5s MB/s\n' "$i" "$k" "$s" "$(mbps "$s")"
  done
done
declare -A med
for k in "${order[@]}"; do
  med[$k]=$(median < "$work/t.$k")
  printf 'median %-10s %5s MB/s\n' "$k" "$(mbps "${med[$k]}")"
done
ratio() { awk -v a="${med[$2]}" -v b="${med[$1]}" 'BEGIN { printf "%.2f", a / b }'; }
echo "ratios (speed): local_zip/local_file $(ratio local_zip local_file)   s3_zip/rclone_cat $(ratio s3_zip rclone_cat)   s3_zip/presigned $(ratio s3_zip presigned)"
