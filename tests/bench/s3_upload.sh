#!/usr/bin/env bash
# 2 GiB to a local S3 server (Swift with s3api on loopback): tseeder's upload step vs
# `rclone copyto` with the same part size and parallel parts, same file, in one run. Prints MB/s
# per run, medians and the ratio tseeder / rclone.
#   tests/bench/s3_upload.sh [BUILD_DIR] [RUNS] [SIZE_MIB] [PART_MIB] [CONCURRENCY]
# tseeder's time is from its `uploading` event to its `completed` event (the download from the
# local HTTP server before it is not counted); rclone's is the whole command.
set -euo pipefail
build=${1:-build}
runs=${2:-3}
size_mib=${3:-2048}
part_mib=${4:-16}
conc=${5:-4}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "$build" && pwd)
source "$here/bench_common.sh"
bench_setup tseeder-s3bench rclone sqlite3 swift-proxy-server memcached /usr/bin/python3

start_swift

serve_blob "$size_mib"

cat > "$work/tseederd.yaml" <<YAML
storage:
  backend: s3
  s3:
    endpoint: $endpoint
    bucket: bench
    access_key: "test:tester"
    secret_key: testing
    part_size_mib: $part_mib
    concurrency: $conc
scan:
  enabled: false
YAML
"$build/daemon/tseederd" --data-dir "$work/var" --listen 127.0.0.1:0 --plugin-dir "$build/plugins" \
  --config "$work/tseederd.yaml" --allow-private-urls --ready-file "$work/ready" 2> "$work/tseederd.log" &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/ready" ] && break; sleep 0.1; done
cli() { "$build/cmd/tseeder/tseeder" --socket "$work/var/tseederd.sock" "$@"; }


run_tseeder() {
  cli add "$url" --wait > /dev/null
  local id
  id=$(cli --json ls | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["jobs"][0]["id"])')
  # Milliseconds between the job's `uploading` and `completed` status events.
  local ms
  ms=$(sqlite3 "$work/var/tseeder.db" "SELECT max(CASE WHEN data LIKE '%\"status\":\"completed\"%' THEN created_at END) -
    max(CASE WHEN data LIKE '%\"status\":\"uploading\"%' THEN created_at END) FROM job_events
    WHERE job_id = '$id' AND type = 'status'")
  cli rm "$id" > /dev/null
  awk -v ms="$ms" 'BEGIN { printf "%.3f", ms / 1000 }'
}

run_rclone() {
  local t0 t1
  t0=$(now)
  rclone copyto "$work/www/blob.bin" "sw:bench/rclone/blob.bin" --s3-chunk-size "${part_mib}M" \
    --s3-upload-cutoff "${part_mib}M" --s3-upload-concurrency "$conc" --transfers 1 --checkers 1
  t1=$(now)
  rclone delete sw:bench/rclone
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}

echo "S3 upload of $size_mib MiB to Swift s3api on loopback; parts of $part_mib MiB, $conc at a time; $runs runs"
: > "$work/t.tseeder"
: > "$work/t.rclone"
for i in $(seq "$runs"); do
  s=$(run_tseeder)
  echo "$s" >> "$work/t.tseeder"
  echo "run $i tseeder: $s s  $(mbps "$s") MB/s"
  s=$(run_rclone)
  echo "$s" >> "$work/t.rclone"
  echo "run $i rclone:  $s s  $(mbps "$s") MB/s"
done
mt=$(median < "$work/t.tseeder")
mr=$(median < "$work/t.rclone")
echo "median tseeder: $(mbps "$mt") MB/s   rclone: $(mbps "$mr") MB/s   ratio tseeder/rclone: $(awk -v a="$mr" -v b="$mt" 'BEGIN { printf "%.2f", a / b }')"
