#!/usr/bin/env bash
# The report statistics beside a NumPy reference, on the same synthetic session of 1,025,000
# judgement events (100 personas × 50 reviewers × 4 candidates × 50 criteria ratings, 5,000
# four-column preferences, 20,000 flags), in one run:
#
# 1. writes the session as JSON Lines under <target>/bench/report/ (never in the repository);
# 2. times `screening report --judgements … --rounds 1000 --format json --out …` (release CLI,
#    end to end: read, parse, validate, report, render, write; wall clock, median of 3);
# 3. `cargo bench -p screening-core --bench report`: the in-memory report (criterion);
# 4. bench/report_reference.py on the same file (.bench-venv, made by `make bench`), which
#    checks its means, α and Bradley–Terry strengths against the CLI's report;
# 5. prints both side by side.
#
# Usage: bench/report_bench.sh [rounds, default 1000]. Fails on an error or a disagreement,
# never on a time.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-1000}"
cargo="${CARGO:-cargo}"
target="${CARGO_TARGET_DIR:-target}"
out="$target/bench/report"
py=.bench-venv/bin/python
runs=3
if [ ! -x "$py" ]; then
  echo "error: $py is missing: run 'make bench', or python3 -m venv .bench-venv &&" \
    ".bench-venv/bin/pip install -r bench/requirements.txt" >&2
  exit 1
fi
mkdir -p "$out"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

"$cargo" build -q --release -p screening-cli
"$cargo" build -q --release -p screening-core --example synthetic_judgements
data="$out/synthetic.jsonl"
"$target/release/examples/synthetic_judgements" "$data"

# The bench's incumbent and challenger, so the CLI also computes P(challenger beats incumbent).
names=(--incumbent model-0 --challenger model-1)
: >"$out/cli_times"
for i in $(seq 1 "$runs"); do
  start="$(date +%s%N)"
  "$target/release/screening" report --judgements "$data" --rounds "$rounds" --format json \
    --out "$out/rust_report.json" "${names[@]}"
  end="$(date +%s%N)"
  echo "$(((end - start) / 1000000))" >>"$out/cli_times"
  echo "screening report, run $i: $(tail -n1 "$out/cli_times") ms"
done

"$cargo" bench -p screening-core --bench report

status=0
"$py" bench/report_reference.py "$data" --rounds "$rounds" --rust "$out/rust_report.json" \
  "${names[@]}" >"$out/reference.json" || status=$?
if [ "$status" -ne 0 ] && ! [ -s "$out/reference.json" ]; then
  echo "error: bench/report_reference.py failed (exit $status)" >&2
  exit "$status"
fi
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

"$py" - "$target" "$out" "$rounds" "$load_before" "$load_after" <<'EOF'
import glob, json, os, statistics, sys

target, out, rounds, load_before, load_after = sys.argv[1:]
ref = json.load(open(os.path.join(out, "reference.json")))
cli = [int(x) / 1000 for x in open(os.path.join(out, "cli_times")).read().split()]


def crit(name):
    pattern = os.path.join(target, "criterion", "report_*_events", name, "new", "estimates.json")
    paths = glob.glob(pattern)
    if not paths:
        return None
    e = json.load(open(paths[0]))
    ci = e["mean"]["confidence_interval"]
    return e["median"]["point_estimate"] / 1e9, ci["lower_bound"] / 1e9, ci["upper_bound"] / 1e9


def s(x):
    return "–" if x is None else f"{x:.3f} s" if x >= 1 else f"{x * 1e3:.1f} ms"


def ok(flag):
    return "ok" if flag else "DISAGREE"


res = ref["results"]
rows = []
for name, label in (
    ("1000_rounds", "Rust in-memory report, 1000 rounds (criterion)"),
    ("no_bootstrap", "Rust in-memory report, no bootstrap (criterion)"),
):
    c = crit(name)
    rows.append((label, c and c[0], c and f"mean 95% CI {s(c[1])}–{s(c[2])}"))
cli_median = statistics.median(cli)
rows.append((f"Rust CLI end to end, {rounds} rounds", cli_median,
             "runs " + ", ".join(s(x) for x in cli)))
rows.append(("Python json parse (json.loads per line)", ref["parse_s"], "once"))
rows.append(("Python prepare (dicts → integer arrays)", ref["prepare_s"], "once"))
for key, label in (
    ("means_bootstrap_s", f"NumPy means + bootstrap, {rounds} rounds"),
    ("alpha_s", "krippendorff α (ordinal), every criterion"),
    ("bradley_terry_s", f"NumPy Bradley–Terry (Newton), full + {rounds} rounds"),
    ("total_stats_s", "NumPy stats total"),
):
    rows.append((label, ref[key], "runs " + ", ".join(s(x) for x in ref["runs"][key])))
py_total = ref["parse_s"] + ref["prepare_s"] + ref["total_stats_s"]
rows.append(("Python prepare + NumPy stats (the in-memory part)",
             ref["prepare_s"] + ref["total_stats_s"], "compare: Rust in-memory report"))
rows.append(("Python end to end (parse + prepare + stats)", py_total, "compare: Rust CLI"))
full, none = crit("1000_rounds"), crit("no_bootstrap")
if full and none:
    rows.append(("Rust bootstrap share (1000 rounds − no bootstrap)", full[0] - none[0],
                 "compare: NumPy means + bootstrap + Bradley–Terry"))

print()
print(f"Report statistics: {res['judgements']:,} judgements ({res['personas']} personas × "
      f"{res['reviewers']} reviewers), {rounds} rounds, {ref['cpus']} CPUs")
print(f"load average before {load_before}, after {load_after} (a shared machine: anything else "
      "running slows one side and not the other)")
print(f"{'measurement':<52} {'median':>10}  notes")
for label, t, notes in rows:
    print(f"{label:<52} {s(t):>10}  {notes or ''}")
c = crit("1000_rounds")
if c:
    in_memory = ref["prepare_s"] + ref["total_stats_s"]
    print(f"Python prepare + NumPy stats / Rust in-memory report: {in_memory / c[0]:.2f}×; "
          f"Python end to end / Rust CLI: {py_total / cli_median:.2f}×")
v = ref["versions"]
print(f"reference: Python {v['python']}, NumPy {v['numpy']}, krippendorff {v['krippendorff']}")

a = ref.get("agreement")
if a:
    print()
    print("agreement with the Rust report (screening report --format json):")
    m = a["means"]
    print(f"  means ({m['groups']} candidate × criterion): max |Δ| {m['max_abs_diff']:.3g} "
          f"(≤ {m['tolerance']:g}) {ok(m['ok'])}")
    x = a["alpha"]
    print(f"  Krippendorff α: max |Δ| {x['max_abs_diff']:.3g} (≤ {x['tolerance']:g}) "
          f"{ok(x['ok'])}")
    x = a["mean_ci"]
    print(f"  intervals of the means (different draws): max |Δ| of a bound "
          f"{x['max_abs_diff']:.4f} (≤ {x['tolerance']:g}) {ok(x['ok'])}")
    x = a["bt_strength"]
    print(f"  Bradley–Terry strengths: max |Δ| {x['max_abs_diff']:.3g} (≤ {x['tolerance']:g}) "
          f"{ok(x['ok'])}")
    print(f"  Bradley–Terry intervals (different draws, informational): max |Δ| "
          f"{a['bt_ci_max_abs_diff']:.4f}")
    if a["win_probability_ci_max_abs_diff"] is not None:
        print(f"  P(challenger beats incumbent) interval (different draws, informational): "
              f"max |Δ| {a['win_probability_ci_max_abs_diff']:.4f}")
    sd = a.get("same_draws")
    if sd:
        print(f"  with Rust's own draws (SplitMix64 replayed, untimed): intervals of the means "
              f"max |Δ| {sd['mean_ci_max_abs_diff']:.3g}, Bradley–Terry "
              f"{sd['bt_ci_max_abs_diff']:.3g}, P(challenger beats incumbent) "
              f"{sd['win_probability_ci_max_abs_diff']:.3g} {ok(sd['ok'])}")
    dg = a.get("bt_diagnosis")
    if dg:
        print(f"  Bradley–Terry, full data: |observed − expected wins| at Rust's strengths "
              f"{dg['score_residual_full_rust']:.2g}, at NumPy Newton's "
              f"({dg['newton_iterations_full']} iterations) {dg['score_residual_full_mle']:.2g}")
        if "rust_vs_mle_ci_max_abs_diff" in dg:
            print(f"  Bradley–Terry intervals with Rust's draws vs converged rounds: max |Δ| "
                  f"{dg['rust_vs_mle_ci_max_abs_diff']:.2g}")
    for p in a["problems"]:
        print(f"  DISAGREE: {p}")
    print("  " + ("all agree" if a["ok"] else "DISAGREEMENT: see above"))
print(f"files: {out}/rust_report.json, {out}/reference.json")
EOF
exit "$status"
