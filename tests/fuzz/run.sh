#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each briefly from the seed corpus.
#   tests/fuzz/run.sh OUT_DIR [SECONDS_PER_TARGET]
set -euo pipefail
out=${1:?usage: run.sh OUT_DIR [SECONDS]}
secs=${2:-5}
src=$(cd "$(dirname "$0")/../.." && pwd)
command -v clang++ >/dev/null || { echo "clang++ missing: run make deps" >&2; exit 1; }
mkdir -p "$out"
cxx="clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"
command -v ccache >/dev/null && cxx="ccache $cxx"
inc="-I$src/lib -I$src/daemon -I$src/plugins/engine-http -I$src/plugins/include"
declare -A extra=(
  [path_safety]="lib/core/path_safety.cc"
  [content_disposition]="plugins/engine-http/content_disposition.cc lib/core/path_safety.cc"
  [byte_range]="daemon/http/byte_range.cc"
  [sse_parser]="lib/net/sse_parser.cc"
  [job_request]="lib/jobs/job_source.cc lib/jobs/job_options.cc lib/model/job.cc lib/model/job_state.cc lib/core/json_util.cc lib/core/error.cc lib/core/base64.cc lib/core/digest.cc"
  [multipart]="daemon/http/multipart.cc lib/core/error.cc"
  [index_list]="lib/core/index_list.cc"
)
# Libraries a target's sources need beyond the C++ runtime.
declare -A libs=(
  [job_request]="-lcrypto"
)
for t in "${!extra[@]}"; do
  files="$src/tests/fuzz/fuzz_$t.cc"
  for f in ${extra[$t]}; do files="$files $src/$f"; done
  $cxx $inc $files ${libs[$t]:-} -o "$out/fuzz_$t"
done
status=0
for t in $(printf '%s\n' "${!extra[@]}" | sort); do
  corpus="$out/corpus_$t"
  mkdir -p "$corpus"
  cp "$src"/tests/fuzz/corpus/* "$corpus/" 2>/dev/null || true
  echo "fuzz_$t: ${secs}s"
  if ! "$out/fuzz_$t" -max_total_time="$secs" -max_len=4096 -rss_limit_mb=1024 -artifact_prefix="$out/" "$corpus" >"$out/fuzz_$t.log" 2>&1; then
    echo "fuzz_$t FAILED; tail of $out/fuzz_$t.log:"; tail -40 "$out/fuzz_$t.log"; status=1
  fi
done
exit $status
