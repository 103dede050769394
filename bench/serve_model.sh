#!/usr/bin/env bash
# Throughput and latency of `screening serve-model` (release build) on this machine, measured
# with wrk: each built-in model's POST /recommend/<model> (one persona's history, k = 10) next to
# GET /health on the same server as the reference (the HTTP stack alone). Compare the figures with
# Amazon Personalize's default quota of 500 GetRecommendations requests/s per campaign.
#
# Usage: bench/serve_model.sh [seconds per run, default 10]. Needs wrk (installed with apt when
# missing) and cargo.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
threads=2
connections=16

if ! command -v wrk >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get install -y -qq wrk >/dev/null
fi

cargo build -q --release -p screening-cli
target="${CARGO_TARGET_DIR:-target}"
out="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$out"' EXIT

"$target/release/screening" serve-model --listen 127.0.0.1:0 \
  --models popularity,item-knn,ease,content >"$out/stdout" 2>"$out/stderr" &
pid=$!
for _ in $(seq 1 600); do
  grep -q '^listening on ' "$out/stdout" 2>/dev/null && break
  sleep 0.1
done
url="$(sed -n 's/^listening on //p' "$out/stdout")"
[ -n "$url" ] || { echo "error: the server did not start:"; cat "$out/stderr"; exit 1; }

# The Reality TV fan's history (first 20 titles), as the app sends it.
history="$("$target/release/screening" personas --json | python3 -c '
import json, sys
p = json.load(sys.stdin)[0]
print(json.dumps([{"item_id": i, "timestamp": 1780000000 + n, "event_type": "watch"}
                  for n, i in enumerate(p["history"][:20])]))')"
cat >"$out/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"persona":{"id":"reality-fan","name":"Reality TV fan"},"user_id":null,"history":$history,"k":10,"context":{}}'
LUA

printf '%-28s %12s %10s %10s %10s\n' "endpoint" "requests/s" "p50 ms" "p99 ms" "errors"
run() {
  local name="$1"; shift
  wrk --latency -t"$threads" -c"$connections" -d"${duration}s" "$@" >"$out/wrk.txt"
  local rps p50 p99 errors
  rps="$(awk '/^Requests\/sec:/ {print $2}' "$out/wrk.txt")"
  p50="$(awk '$1 == "50%" {print $2}' "$out/wrk.txt")"
  p99="$(awk '$1 == "99%" {print $2}' "$out/wrk.txt")"
  errors="$(awk '/Non-2xx|Socket errors/ {s = s $0 "; "} END {print (s == "" ? "0" : s)}' "$out/wrk.txt")"
  printf '%-28s %12s %10s %10s %10s\n' "$name" "$rps" "$p50" "$p99" "$errors"
}
run "GET /health (reference)" "$url/health"
for model in popularity item-knn ease content; do
  run "POST /recommend/$model" -s "$out/post.lua" "$url/recommend/$model"
done
echo "wrk: $threads threads, $connections connections, ${duration}s each, on $(nproc) cores;" \
  "Personalize's default quota is 500 requests/s per campaign"
