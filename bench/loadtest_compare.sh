#!/usr/bin/env bash
# `screening loadtest` beside an independent load tool, oha, on the same endpoints: do the two
# agree on the achieved rate, the errors and the latency percentiles?
#
# Endpoints (all on 127.0.0.1, started and stopped by this script):
#   - `screening serve-model --models popularity,item-knn` (release build):
#     POST /recommend/item-knn and POST /recommend/popularity;
#   - bench/slow_server.py, a deliberately slow and failing endpoint: every request waits 50 ms,
#     every 10th (counted by the server) gets a 503; it also counts what it received (/stats).
# For each endpoint and each rate, one run of each tool, one after the other (never at once; the
# tool that goes first alternates from rate to rate):
#   screening loadtest --url URL --rate R --duration Ns --concurrency C --personas P --json
#   oha -q R -z Ns -c C -w --latency-correction -t 5s -m POST -D BODY --stats-success-breakdown
# Both are open loop with the latency measured from each request's scheduled time. Both send the
# same bytes: the body oha gets is the one `screening loadtest` sent for persona P, captured by the
# slow server (`--capture`) in a first short run.
#
# Usage: bench/loadtest_compare.sh [seconds per run, default 20] [rates, default "50 200 500"]
#   env: CONCURRENCY (64, loadtest's default; oha's -c), PERSONA (a sample persona id, default
#   the first of `screening personas`), CARGO_TARGET_DIR (else target/).
# Needs cargo, python3 and oha (`cargo install oha --locked`; the script stops and says so when
# it is missing). About 6-7 minutes with the defaults once built. Results (each tool's JSON) stay
# in $CARGO_TARGET_DIR/bench/loadtest_compare/. A benchmark, not a test: it exits 0 whatever the
# numbers say. Traffic goes to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
rates="${2:-50 200 500}"
concurrency="${CONCURRENCY:-64}"

if ! command -v oha >/dev/null 2>&1; then
  echo "error: oha is not installed: cargo install oha --locked (a separate crate; e.g." \
    "CARGO_TARGET_DIR=/tmp/oha-target cargo install oha --locked)" >&2
  exit 1
fi
command -v python3 >/dev/null 2>&1 || { echo "error: python3 is needed" >&2; exit 1; }
# The interpreter itself, not a wrapper (pyenv's shim), so that the pid kept below is the server's.
python="$(python3 -c 'import sys; print(sys.executable)')"

cargo build -q --release -p screening-cli
target="${CARGO_TARGET_DIR:-target}"
screening="$target/release/screening"
out="$target/bench/loadtest_compare"
rm -rf "$out"
mkdir -p "$out"

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

# Waits for "listening on http://…" in a server's stdout and prints the URL.
wait_listening() {
  local file="$1" url=""
  for _ in $(seq 1 600); do
    url="$(sed -n 's/^listening on //p' "$file" 2>/dev/null)"
    [ -n "$url" ] && break
    sleep 0.1
  done
  [ -n "$url" ] || { echo "error: a server did not start:" >&2; cat "$file" >&2; exit 1; }
  echo "$url"
}

"$screening" serve-model --listen 127.0.0.1:0 --models popularity,item-knn \
  >"$out/serve.stdout" 2>"$out/serve.stderr" &
pids+=($!)
"$python" bench/slow_server.py --port 0 --delay-ms 50 --fail-every 10 --capture "$out/body.json" \
  >"$out/slow.stdout" 2>"$out/slow.stderr" &
pids+=($!)
serve_url="$(wait_listening "$out/serve.stdout")"
slow_url="$(wait_listening "$out/slow.stdout")"

persona="${PERSONA:-$("$screening" personas --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')}"

# The body: what `screening loadtest --personas $persona` sends, as the slow server received it
# (a short run that doubles as the slow server's warm-up).
"$screening" loadtest --url "$slow_url/recommend/x" --rate 20 --duration 1s \
  --personas "$persona" --json >/dev/null
python3 - "$out/body.json" "$persona" <<'PY'
import json, sys
body = json.load(open(sys.argv[1]))
assert body["persona"]["id"] == sys.argv[2], body["persona"]
print(f"request body: persona {body['persona']['id']}, {len(body['history'])} history events, "
      f"k = {body['k']}, {len(open(sys.argv[1], 'rb').read())} bytes")
PY

run_screening() {  # url rate file
  "$screening" loadtest --url "$1" --rate "$2" --duration "${seconds}s" \
    --concurrency "$concurrency" --personas "$persona" --json >"$3"
}
run_oha() {  # url rate file
  oha -q "$2" -z "${seconds}s" -c "$concurrency" -w --latency-correction -t 5s --no-tui \
    -m POST -H 'content-type: application/json' -D "$out/body.json" \
    --stats-success-breakdown --output-format json "$1" >"$3"
}
slow_stats() { python3 -c 'import sys,urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode())' "$slow_url/stats"; }

# endpoint name, rate, tool, result file, slow server's counts before and after (or "-").
manifest="$out/manifest.tsv"
: >"$manifest"
endpoints=("item-knn $serve_url/recommend/item-knn" "popularity $serve_url/recommend/popularity"
  "slow-503 $slow_url/recommend/slow")
uptime | sed 's/^/load before: /'
n=0
for endpoint in "${endpoints[@]}"; do
  name="${endpoint%% *}"
  url="${endpoint#* }"
  # Warm-up, not measured: connections, caches, the first requests of each model.
  "$screening" loadtest --url "$url" --rate 50 --duration 2s --concurrency "$concurrency" \
    --personas "$persona" --json >/dev/null
  for rate in $rates; do
    if [ $((n % 2)) -eq 0 ]; then order="screening oha"; else order="oha screening"; fi
    n=$((n + 1))
    for tool in $order; do
      file="$out/$name-$rate-$tool.json"
      before="-"; after="-"
      [ "$name" = "slow-503" ] && before="$(slow_stats)"
      echo "running: $tool on $name at $rate/s for ${seconds}s" >&2
      "run_$tool" "$url" "$rate" "$file"
      [ "$name" = "slow-503" ] && after="$(slow_stats)"
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$rate" "$tool" "$file" "$before" "$after" >>"$manifest"
      sleep 1
    done
  done
done
uptime | sed 's/^/load after: /'

python3 - "$manifest" "$seconds" "$concurrency" <<'PY'
import json, sys

def screening(d):
    lat = d["latency_ms"]
    errors = sum(d["errors"].values())
    return dict(requests=d["requests"], rps=d["achieved_rps"], errors=errors,
                e503=d["errors"].get("http_503", 0), p50=lat["p50"], p90=lat["p90"],
                p99=lat["p99"], max=lat["max"], other=", ".join(
                    f"{k} {v}" for k, v in d["errors"].items() if k != "http_503"))

def oha(d):
    codes = {int(k): v for k, v in d["statusCodeDistribution"].items()}
    transport = sum(d["errorDistribution"].values())
    answered = sum(codes.values())
    # Latency of the 2xx answers only, as screening counts it (503s are errors there).
    pct = d.get("latencyPercentilesSuccessful") or d["latencyPercentiles"]
    ms = lambda s: float("nan") if s is None else s * 1000.0
    return dict(requests=answered + transport, rps=d["summary"]["requestsPerSec"],
                errors=transport + sum(v for c, v in codes.items() if not 200 <= c < 300),
                e503=codes.get(503, 0), p50=ms(pct["p50"]), p90=ms(pct["p90"]),
                p99=ms(pct["p99"]), max=ms(d["summary"]["slowest"]),
                other=", ".join(f"{k} {v}" for k, v in d["errorDistribution"].items()))

rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
print(f"\n{sys.argv[2]} s per run, concurrency/connections {sys.argv[3]}; latency ms of the 2xx "
      "answers from each request's scheduled time (max: oha's over all answers)")
head = ("endpoint", "rate", "tool", "requests", "achieved/s", "errors", "503", "p50", "p90",
        "p99", "max", "server: posts/503")
fmt = "{:<11} {:>5} {:<10} {:>8} {:>10} {:>7} {:>6} {:>8} {:>8} {:>8} {:>8}  {}"
print(fmt.format(*head))
for name, rate, tool, path, before, after in rows:
    r = (screening if tool == "screening" else oha)(json.load(open(path)))
    server = "-"
    if before != "-":
        b, a = json.loads(before), json.loads(after)
        server = f"{a['posts'] - b['posts']}/{a['failed'] - b['failed']}"
    print(fmt.format(name, rate, tool, r["requests"], f"{r['rps']:.1f}", r["errors"], r["e503"],
                     f"{r['p50']:.2f}", f"{r['p90']:.2f}", f"{r['p99']:.2f}", f"{r['max']:.2f}",
                     server + (f"  ({r['other']})" if r["other"] else "")))
PY
echo "oha $(oha --version | awk '{print $2}'), $(nproc) cores shared by the tools and the servers;" \
  "JSON in $out"
