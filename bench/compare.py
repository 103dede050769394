#!/usr/bin/env python3
"""Prints the Rust model timings beside the Python references, with the targets.

Reads <target>/bench/rust.json (cargo bench -p screening-recommenders --bench models) and
<target>/bench/reference.json (bench/reference.py), where <target> is $CARGO_TARGET_DIR or the
workspace's target/. Benchmarks, not tests: always exits 0, whatever is missing or missed.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# $CARGO_TARGET_DIR (a relative one from the workspace root, as the Rust bench does) or target/.
TARGET = ROOT / (os.environ.get("CARGO_TARGET_DIR") or "target")
OUT = TARGET / "bench"

EASE_MAX_RATIO = 1.2
KNN_MAX_RATIO = 1.0
EVAL_MAX_S = 2.0
PERSONA_P95_MAX_MS = 5.0


def load(name: str) -> dict:
    path = OUT / name
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        print(f"note: {path} is missing")
    except json.JSONDecodeError as e:
        print(f"note: {path} is not valid JSON: {e}")
    return {}


def fmt_s(s: float | None) -> str:
    if s is None:
        return "—"
    return f"{s:.3f} s" if s >= 1.0 else f"{s * 1e3:.1f} ms"


def fmt_ratio(r: float | None) -> str:
    return "—" if r is None else f"{r:.2f}×"


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def met(ok: bool | None) -> str:
    return "—" if ok is None else ("yes" if ok else "NO")


def main() -> int:
    rust = load("rust.json").get("measurements", {})
    ref_report = load("reference.json")
    ref = ref_report.get("measurements", {})

    # (measurement, rust, reference, ratio of medians, ratio of mins, target, met)
    rows: list[tuple[str, str, str, str, str, str, str]] = []

    def paired(name: str, r: dict | None, p: dict | None, max_ratio: float) -> None:
        rm = r.get("median_s") if r else None
        pm = p.get("median_s") if p else None
        q = ratio(rm, pm)
        q_min = ratio(r.get("min_s") if r else None, p.get("min_s") if p else None)
        rows.append(
            (
                name,
                fmt_s(rm),
                fmt_s(pm),
                fmt_ratio(q),
                fmt_ratio(q_min),
                f"≤ {max_ratio:g}×",
                met(None if q is None else q <= max_ratio),
            )
        )

    ease, ease_ref = rust.get("ease_train"), ref.get("ease_numpy")
    paired("ease_train vs NumPy EASE", ease, ease_ref, EASE_MAX_RATIO)
    stages = (ease or {}).get("stages_median_s", {})
    ref_stages = (ease_ref or {}).get("stages_median_s", {})
    for stage in ("gram", "inverse", "weights"):
        if stage in stages or stage in ref_stages:
            a, b = stages.get(stage), ref_stages.get(stage)
            rows.append((f"  stage: {stage}", fmt_s(a), fmt_s(b), fmt_ratio(ratio(a, b)), "", "", ""))

    knn, knn_ref = rust.get("knn_train_top20"), ref.get("implicit_cosine")
    paired("knn_train_top20 vs implicit Cosine(K=20)", knn, knn_ref, KNN_MAX_RATIO)
    stages = (knn or {}).get("stages_median_s", {})
    ref_stages = (knn_ref or {}).get("stages_median_s", {})
    for stage, label in (("train", "train / fit"), ("rank", "top 20 / recommend")):
        if stage in stages or stage in ref_stages:
            a, b = stages.get(stage), ref_stages.get(stage)
            rows.append((f"  stage: {label}", fmt_s(a), fmt_s(b), fmt_ratio(ratio(a, b)), "", "", ""))

    # In the order the app lists the models (JSON objects come back sorted by name).
    order = ["popularity", "trending", "item-knn", "ease", "content", "random"]
    evals = sorted(
        (k for k in rust if k.startswith("evaluate/")),
        key=lambda k: (order.index(k[9:]) if k[9:] in order else len(order), k),
    )
    for key in evals:
        s, ndcg = rust[key].get("seconds"), rust[key].get("ndcg@10")
        name = f"{key} (ndcg@10 {ndcg:.4f})" if ndcg is not None else key
        ok = None if s is None else s < EVAL_MAX_S
        rows.append((name, fmt_s(s), "—", "—", "", f"< {EVAL_MAX_S:g} s", met(ok)))

    persona = rust.get("recommend_persona_all_models")
    if persona:
        p95 = persona["p95_ms"]
        rows.append(
            (
                f"recommend_persona_all_models p95 ({persona['calls']} calls; "
                f"p50 {persona['p50_ms']:.2f}, p99 {persona['p99_ms']:.2f} ms)",
                f"{p95:.2f} ms",
                "—",
                "—",
                "",
                f"p95 < {PERSONA_P95_MAX_MS:g} ms",
                met(p95 < PERSONA_P95_MAX_MS),
            )
        )

    if not rows:
        print("nothing to compare")
        return 0
    header = ("measurement", "Rust", "reference", "ratio", "ratio (min)", "target", "met")
    widths = [max(len(r[i]) for r in [*rows, header]) for i in range(len(header))]
    line = lambda r: "  ".join(  # noqa: E731
        c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))
    )
    print()
    print("Rust (screening-recommenders) vs Python references; times are medians, ratio = Rust / reference")
    print(line(header))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(line(r))

    agreement = (ref.get("implicit_cosine") or {}).get("agreement", {})
    if agreement:
        print()
        for k, a in agreement.items():
            if k.startswith("K="):
                print(
                    f"kNN agreement with implicit {k}: overlap mean {a['mean_overlap']:.1%}, "
                    f"min {a['min_overlap']:.0%}, identical lists {a['identical_lists']}/{a['users']}"
                )
            else:
                print(
                    f"kNN agreement with a NumPy rebuild of the Rust rule: identical lists "
                    f"{a['identical_lists']}/{a['users']}, identical sets {a['identical_sets']}/{a['users']}"
                )
    ease_agree = (ease_ref or {}).get("agreement")
    if ease_agree and "max_abs_diff" in ease_agree:
        print(
            f"EASE agreement: max |B_numpy − B_rust| {ease_agree['max_abs_diff']:.2e} over "
            f"{ease_agree['rows']} rows (largest |B| {ease_agree['max_abs_weight']:.2e})"
        )
    pools = ref_report.get("threadpools", [])
    if pools:
        print(
            "reference thread pools: "
            + "; ".join(f"{p.get('internal_api')} ({p.get('prefix')}): {p.get('num_threads')}" for p in pools)
        )
    return 0


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # a benchmark report must not fail the build
        print(f"compare.py: could not compare: {e!r}")
    sys.exit(0)
