#!/usr/bin/env python3
"""Python references for the Rust model benchmarks (crates/recommenders/benches/models.rs).

Reads the split the Rust bench exported to <target>/bench/split/ (so both sides train and rank
on identical inputs), then times:

- ease_numpy: EASE with NumPy/SciPy, the textbook way: G = XᵀX + λI (sparse product, made
  dense), P = inv(G), B = −P / diag(P), diag(B) = 0. Building X from the CSV is not timed; the
  Gram is (as in Rust).
- implicit_cosine: implicit's CosineRecommender(K=20): fit on the training rows, then the top
  20 of every test user (their input rows folded in, already-watched items filtered).

and checks agreement with the Rust results (kNN lists, a few EASE weight rows). Writes
<target>/bench/reference.json, where <target> is $CARGO_TARGET_DIR or the workspace's target/.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
import warnings
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_info

RUNS = 7
LAMBDA = 250.0
MIN_COUNT = 5
K = 20
N = 20

ROOT = Path(__file__).resolve().parent.parent
# $CARGO_TARGET_DIR (a relative one from the workspace root, as the Rust bench does) or target/.
TARGET = ROOT / (os.environ.get("CARGO_TARGET_DIR") or "target")
OUT = TARGET / "bench"
SPLIT = OUT / "split"


def fmt_s(s: float) -> str:
    return f"{s:.3f} s" if s >= 1.0 else f"{s * 1e3:.1f} ms"


def pkg_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def read_pairs(path: Path) -> np.ndarray:
    """A two- or three-column integer CSV with a header, as an (n, k) int64 array."""
    return np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.int64, ndmin=2)


def timed_runs(fn, runs: int = RUNS):
    """One untimed warm-up, then `runs` timed calls; returns (times, last result)."""
    result = fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
        result = out  # freeing the previous result is not timed
    return times, result


# ---------------------------------------------------------------------------------------------
# EASE


def ease(X: sp.csr_matrix, lam: float, stages: list | None = None) -> np.ndarray:
    """B of EASE over the columns of X; appends (gram, inverse, weights) seconds to `stages`."""
    t0 = time.perf_counter()
    # X is float64 already, so astype does not copy (copy=False): no extra pass over G.
    G = (X.T @ X).toarray().astype(np.float64, copy=False)
    diag = np.diag_indices(G.shape[0])
    G[diag] += lam
    t1 = time.perf_counter()
    P = np.linalg.inv(G)
    t2 = time.perf_counter()
    B = P / (-np.diag(P))
    B[diag] = 0
    t3 = time.perf_counter()
    if stages is not None:
        stages.append((t1 - t0, t2 - t1, t3 - t2))
    return B


def bench_ease(train: np.ndarray, n_items: int, n_train: int) -> dict:
    counts = np.bincount(train[:, 1], minlength=n_items)
    cols = np.flatnonzero(counts >= MIN_COUNT)
    col_of = np.full(n_items, -1, dtype=np.int64)
    col_of[cols] = np.arange(len(cols))
    keep = col_of[train[:, 1]] >= 0
    rows, items = train[keep, 0], col_of[train[keep, 1]]
    X = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.float64), (rows, items)), shape=(n_train, len(cols))
    )
    stages: list = []
    times, B = timed_runs(lambda: ease(X, LAMBDA, stages))
    stages = stages[1:]  # drop the warm-up
    stage_medians = {
        name: statistics.median(s[k] for s in stages)
        for k, name in enumerate(("gram", "inverse", "weights"))
    }
    result = {
        "median_s": statistics.median(times),
        "min_s": min(times),
        "runs_s": times,
        "n_model_items": int(len(cols)),
        "stages_median_s": stage_medians,
    }
    print(
        f"{'ease_numpy':<22} {fmt_s(result['median_s']):>10} {fmt_s(result['min_s']):>10}  "
        f"{len(cols)} model items; stages (median): "
        + ", ".join(f"{k} {fmt_s(v)}" for k, v in stage_medians.items())
    )

    rows_path = SPLIT / "ease_rows.csv"
    if rows_path.is_file():
        rust = np.loadtxt(
            rows_path, delimiter=",", skiprows=1, dtype=[("i", "i8"), ("j", "i8"), ("w", "f8")], ndmin=1
        )
        ci, cj = col_of[rust["i"]], col_of[rust["j"]]
        if (ci < 0).any() or (cj < 0).any():
            print("  EASE check: the Rust rows name items outside the NumPy model (different item sets)")
            result["agreement"] = {"error": "item sets differ"}
        else:
            ref = B[ci, cj]
            diff = np.abs(ref - rust["w"])
            # Scale: the largest weight in the compared rows.
            scale = float(np.abs(ref).max()) if len(ref) else 0.0
            n_rows = len(np.unique(rust["i"]))
            print(
                f"  EASE check: {n_rows} rows of B ({len(rust)} weights): max |B_numpy - B_rust| = "
                f"{diff.max():.2e} (largest |B| in those rows {scale:.2e}; Rust stores f32)"
            )
            result["agreement"] = {
                "rows": n_rows,
                "weights": int(len(rust)),
                "max_abs_diff": float(diff.max()),
                "max_abs_weight": scale,
            }
    return result


# ---------------------------------------------------------------------------------------------
# item-kNN (implicit)


def bench_knn(train: np.ndarray, test: np.ndarray, n_items: int, n_train: int, n_test: int) -> dict:
    from implicit.nearest_neighbours import CosineRecommender

    try:  # implicit's own fit() hands a COO matrix to itself and then warns about it
        from implicit.utils import ParameterWarning

        warnings.simplefilter("ignore", ParameterWarning)
    except ImportError:
        pass

    train_ui = sp.csr_matrix(
        (np.ones(len(train), dtype=np.float32), (train[:, 0], train[:, 1])), shape=(n_train, n_items)
    )
    test_ui = sp.csr_matrix(
        (np.ones(len(test), dtype=np.float32), (test[:, 0], test[:, 1])), shape=(n_test, n_items)
    )
    test_rows = np.arange(n_test)

    fit_times: list = []

    def run(k: int = K):
        t0 = time.perf_counter()
        model = CosineRecommender(K=k, num_threads=0)
        model.fit(train_ui, show_progress=False)
        fit_times.append(time.perf_counter() - t0)
        # ItemItemRecommender.recommend scores the given user_items rows directly (the user
        # ids only index the output), so test users outside the training matrix fold in.
        ids, _ = model.recommend(test_rows, test_ui, N=N, filter_already_liked_items=True)
        return ids

    times, ids = timed_runs(run)
    fits = fit_times[1:]  # drop the warm-up
    stage_medians = {
        "train": statistics.median(fits),
        "rank": statistics.median(t - f for t, f in zip(times, fits)),
    }
    result = {
        "median_s": statistics.median(times),
        "min_s": min(times),
        "runs_s": times,
        "n_test": n_test,
        "K": K,
        "stages_median_s": stage_medians,
    }
    print(
        f"{'implicit_cosine':<22} {fmt_s(result['median_s']):>10} {fmt_s(result['min_s']):>10}  "
        f"CosineRecommender(K={K}).fit + recommend(N={N}) for {n_test} test users; "
        f"stages (median): fit {fmt_s(stage_medians['train'])}, recommend {fmt_s(stage_medians['rank'])}"
    )

    lists_path = SPLIT / "knn_top20.csv"
    if lists_path.is_file():
        rust_rows = read_pairs(lists_path)
        rust = [[] for _ in range(n_test)]
        for r, _, i in rust_rows:
            rust[r].append(int(i))
        agreement = {}
        # implicit keeps each item itself among its K neighbours (similarity 1), so K=20 holds
        # 19 other items; K=21 is Rust's neighbours=20. Check both (untimed).
        for k, k_ids in ((K, ids), (K + 1, run(K + 1))):
            overlaps, same = [], 0
            for r in range(n_test):
                ref = [int(i) for i in k_ids[r] if i >= 0]
                overlaps.append(len(set(ref) & set(rust[r])) / N)
                same += ref == rust[r]
            agreement[f"K={k}"] = {
                "mean_overlap": float(np.mean(overlaps)),
                "min_overlap": float(np.min(overlaps)),
                "identical_lists": int(same),
                "users": n_test,
            }
            print(
                f"  kNN check vs Rust item-knn:neighbours=20:shrink=0, implicit K={k}: "
                f"top-20 overlap mean {np.mean(overlaps):.1%}, min {np.min(overlaps):.0%}; "
                f"identical lists (same order) {same}/{n_test}"
            )
        agreement["rust_rule_numpy"] = rust_rule_check(train, test, rust, n_items, n_train, n_test)
        result["agreement"] = agreement
    return result


def rust_rule_check(train, test, rust, n_items: int, n_train: int, n_test: int) -> dict:
    """Rebuilds Rust's lists in NumPy (untimed): cosine in f32, the 20 most similar *other*
    items per item, ties to the lower index; then the same score sum and order. Tells tie-breaking
    apart from a real difference when implicit disagrees."""
    X = sp.csr_matrix((np.ones(len(train)), (train[:, 0], train[:, 1])), shape=(n_train, n_items))
    C = (X.T @ X).tocsr()
    norms = np.sqrt(np.asarray(X.sum(axis=0)).ravel())
    cache: dict = {}

    def neighbours(i: int):
        if i not in cache:
            lo, hi = C.indptr[i], C.indptr[i + 1]
            j, c = C.indices[lo:hi], C.data[lo:hi]
            other = j != i
            j, c = j[other], c[other]
            sim = (c / (norms[i] * norms[j])).astype(np.float32)
            order = np.lexsort((j, -sim))[:K]
            cache[i] = (j[order], sim[order])
        return cache[i]

    same_order = same_set = 0
    items = np.arange(n_items)
    for r in range(n_test):
        history = test[test[:, 0] == r, 1]
        scores = np.zeros(n_items, dtype=np.float32)
        scored = np.zeros(n_items, dtype=bool)
        for i in history:
            j, sim = neighbours(int(i))
            scores[j] += sim
            scored[j] = True
        scored[history] = False
        cand = items[scored]
        top = cand[np.lexsort((cand, -scores[cand]))][:N].tolist()
        got = rust[r][: len(top)]
        same_order += top == got
        same_set += set(top) == set(got)
    print(
        f"  kNN check vs a NumPy rebuild of Rust's rule (ties to the lower index, no self): "
        f"identical lists {same_order}/{n_test}, identical sets {same_set}/{n_test}"
    )
    return {"identical_lists": same_order, "identical_sets": same_set, "users": n_test}


# ---------------------------------------------------------------------------------------------


def main() -> int:
    versions = {
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "scipy": pkg_version("scipy"),
        "implicit": pkg_version("implicit"),
        "threadpoolctl": pkg_version("threadpoolctl"),
    }
    print("reference: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    report: dict = {"versions": versions, "cpus": os.cpu_count(), "measurements": {}}

    meta_path = SPLIT / "meta.json"
    if not meta_path.is_file():
        print(f"note: no split in {SPLIT} (the Rust bench skipped ml-latest-small?): nothing to compare")
    else:
        meta = json.loads(meta_path.read_text())
        n_items, n_train, n_test = meta["n_items"], meta["n_train_users"], meta["n_test"]
        train = read_pairs(SPLIT / "train.csv")
        test = read_pairs(SPLIT / "test.csv")
        print(
            f"split: {n_train} training users, {len(train)} (user, item) pairs, "
            f"{n_test} test users, {n_items} items"
        )
        print(f"{'measurement':<22} {'median':>10} {'min':>10}  notes")
        report["measurements"]["ease_numpy"] = bench_ease(train, n_items, n_train)
        report["measurements"]["implicit_cosine"] = bench_knn(train, test, n_items, n_train, n_test)

    # After implicit is imported, so its OpenMP runtime is listed too.
    pools = [
        {k: p.get(k) for k in ("user_api", "internal_api", "prefix", "version", "num_threads")}
        for p in threadpool_info()
    ]
    report["threadpools"] = pools
    print(
        f"thread pools ({os.cpu_count()} CPUs): "
        + "; ".join(
            f"{p['internal_api']}{' ' + p['version'] if p['version'] else ''} ({p['prefix']}): "
            f"{p['num_threads']} threads"
            for p in pools
        )
    )

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "reference.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
