#!/usr/bin/env python3
"""A NumPy reference for the report statistics (crates/core/src/report/), for `make bench`.

    report_reference.py FILE.jsonl [--rounds 1000] [--seed 0] [--repeat 3]
                        [--incumbent NAME --challenger NAME] [--rust REPORT.json]

Reads a judgement export (JSON Lines, the format at the top of crates/core/src/report/events.rs)
with the standard `json` module, keeps the judgements that count (superseded op_ids dropped; of
two events on the same thing by the same reviewer the later; withdrawn flags dropped), then
computes, timed apart:

- means_bootstrap: per candidate × criterion, the mean rating and its 95% two-way cluster
  bootstrap interval: each round draws the personas and, independently, the reviewers with
  replacement (numpy.random.default_rng(seed).multinomial), and weighs every rating by
  count(persona)·count(reviewer); num = wp @ S_g @ wr and den = wp @ C_g @ wr over dense
  persona × reviewer sum (S) and count (C) matrices, batched over rounds with one matmul and one
  einsum; linear percentiles 2.5 / 97.5 over the rounds (NaN rounds left out).
- alpha: Krippendorff's α (ordinal) per criterion with the `krippendorff` package; a unit is a
  (persona, candidate) list, its values the reviewers' ratings (reliability_data: reviewers ×
  units, NaN where a reviewer did not rate).
- bradley_terry: strengths from the pairwise preferences expanded from the rankings (a tie is ½
  each way), on the full data and on every bootstrap round's weighted win matrix (one matmul
  and one einsum over a persona × reviewer × pair-cell array), with the same regularisation as
  Rust (one virtual tie per pair of compared candidates when the comparison graph is not
  strongly connected), fitted to the maximum-likelihood point by Newton's method batched over
  the rounds; P(challenger beats incumbent) per round when both are named (Rust fits by Newton's
  method too; bt_diagnosis shows how close its fit is to the likelihood equations).

Prints JSON to stdout: the timings (seconds; medians of --repeat runs of the statistics, the
parse timed once), the versions, and the computed means, intervals, α and strengths. With
`--rust REPORT.json` (the output of `screening report --format json` on the same file) it adds
an "agreement" section and exits 1 on a disagreement: means and α must equal Rust's to 1e-9,
both bounds of every mean's interval must be within 0.05 of Rust's (different random draws),
and the Bradley–Terry strengths must match to 1e-6. Then, untimed, it replays Rust's own draws
(its SplitMix64 resampling) so the intervals must equal Rust's (means to 1e-9, Bradley–Terry
to 1e-6), and checks Rust's Bradley–Terry fit against the maximum-likelihood score equations
(bt_diagnosis). Notes go to stderr.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
import warnings
from importlib.metadata import PackageNotFoundError, version

import numpy as np

try:
    import krippendorff
except ImportError:  # pragma: no cover - the venv installs it
    sys.exit("error: the krippendorff package is missing: pip install -r bench/requirements.txt")

MEAN_TOL = 1e-9
ALPHA_TOL = 1e-9
CI_TOL = 0.05
BT_TOL = 1e-6
# Rounds per batch of the bootstrap matmul: bounds the (2·groups·reviewers × rounds) product.
BATCH = 250


def note(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def pkg_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


# --- reading ------------------------------------------------------------------------------------


def parse(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


class Index:
    """Names to dense indices, in first-seen order."""

    def __init__(self) -> None:
        self.of: dict[str, int] = {}
        self.names: list[str] = []

    def add(self, name: str) -> int:
        i = self.of.get(name)
        if i is None:
            i = self.of[name] = len(self.names)
            self.names.append(name)
        return i

    def __len__(self) -> int:
        return len(self.names)


class Data:
    """The judgements that count, as integer arrays."""

    personas: Index
    reviewers: Index
    candidates: Index
    criteria: Index
    judgements: int
    # Ratings, one per (group, persona, reviewer), group = criterion · nc + candidate.
    r_group: np.ndarray
    r_persona: np.ndarray
    r_reviewer: np.ndarray
    r_value: np.ndarray
    # Pairs of preferences: persona, reviewer, a, b, a's score.
    pairs: np.ndarray


def prepare(events: list[dict], session: str | None) -> Data:
    sessions = list(dict.fromkeys(e["session_id"] for e in events))
    if session is None:
        if len(sessions) != 1:
            raise SystemExit(
                f"error: {len(sessions)} sessions in the file; choose one with --session"
            )
        session = sessions[0]
    superseded = {e["supersedes"] for e in events if "supersedes" in e}
    live = [
        e
        for e in events
        if e["session_id"] == session and (not superseded or e["op_id"] not in superseded)
    ]
    # Rust takes the judgements that count in op id order (so the report does not depend on the
    # order of the file); for a file without repeats nothing supersedes — the synthetic ones —
    # sorting first is the same thing.
    live.sort(key=lambda e: e["op_id"])

    # Of two events on the same thing by the same reviewer, only the later counts (a
    # well-formed export has none); ratings are deduplicated below on integer keys.
    last_other: dict[tuple, int] = {}
    for i, e in enumerate(live):
        kind = e["kind"]
        if kind == "rating":
            continue
        key = (e["persona_id"], e["reviewer"], kind)
        if kind == "flag":
            key += (e["candidate"], e["item_id"], e["flag"])
        last_other[key] = i
    keep_other = {i for i in last_other.values() if live[i].get("on", True) is not False}

    d = Data()
    personas, reviewers, candidates, criteria = Index(), Index(), Index(), Index()
    rg_cand, rg_crit, rp, rr, rv, prefs = [], [], [], [], [], []
    p_add, r_add, c_add, k_add = personas.add, reviewers.add, candidates.add, criteria.add
    for i, e in enumerate(live):
        kind = e["kind"]
        if kind != "rating" and i not in keep_other:
            continue
        if kind == "rating":
            rp.append(p_add(e["persona_id"]))
            rr.append(r_add(e["reviewer"]))
            rg_cand.append(c_add(e["candidate"]))
            rg_crit.append(k_add(e["criterion"]))
            rv.append(e["value"])
            continue
        p_add(e["persona_id"])
        r_add(e["reviewer"])
        if "candidate" in e:
            c_add(e["candidate"])
        if kind == "preference":
            for c in e["shown"]:
                c_add(c)
            prefs.append(e)
    nc = len(candidates)
    group = np.asarray(rg_crit, dtype=np.int64) * nc + np.asarray(rg_cand, dtype=np.int64)
    rp_a = np.asarray(rp, dtype=np.int64)
    rr_a = np.asarray(rr, dtype=np.int64)
    rv_a = np.asarray(rv, dtype=np.float64)
    # Later rating on the same (group, persona, reviewer) wins: the first occurrence in reverse.
    flat = (group * len(personas) + rp_a) * len(reviewers) + rr_a
    _, first_rev = np.unique(flat[::-1], return_index=True)
    keep = np.sort(len(flat) - 1 - first_rev)
    d.r_group, d.r_persona = group[keep], rp_a[keep]
    d.r_reviewer, d.r_value = rr_a[keep], rv_a[keep]

    pairs = []
    for e in prefs:
        tier = {c: t for t, names in enumerate(e["ranking"]) for c in names}
        p, r = personas.of[e["persona_id"]], reviewers.of[e["reviewer"]]
        shown = e["shown"]
        for i, left in enumerate(shown):
            for right in shown[i + 1 :]:
                if left not in tier or right not in tier:
                    continue
                a, b = tier[left], tier[right]
                score = 1.0 if a < b else 0.0 if a > b else 0.5
                pairs.append((p, r, candidates.of[left], candidates.of[right], score))
    d.pairs = np.asarray(pairs, dtype=np.float64).reshape(-1, 5)
    d.personas, d.reviewers, d.candidates, d.criteria = personas, reviewers, candidates, criteria
    d.judgements = len(keep) + len(keep_other)
    return d


# --- statistics ---------------------------------------------------------------------------------


def resample_weights(rng: np.random.Generator, n: int, rounds: int) -> np.ndarray:
    """How often each of n clusters is drawn when drawing n with replacement, per round."""
    return rng.multinomial(n, np.full(n, 1.0 / n), size=rounds).astype(np.float64)


GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def splitmix64(x: np.ndarray) -> np.ndarray:
    """crates/core/src/mix.rs on uint64 arrays (numpy's uint64 arithmetic wraps)."""
    z = x + GOLDEN
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def rust_weights(n: int, seed: int, rounds: int, stream: int) -> np.ndarray:
    """The draws of Rust's stats::resample_counts for rounds 0..rounds, (rounds, n): not used for
    the timings, only to check that the same draws give the same intervals."""
    with np.errstate(over="ignore"):
        r = np.arange(rounds, dtype=np.uint64) * np.uint64(2) + np.uint64(stream)
        state = splitmix64(np.uint64(seed) ^ splitmix64(r))
        steps = np.arange(1, n + 1, dtype=np.uint64) * GOLDEN
        x = splitmix64(state[:, None] + steps[None, :])
        # Lemire's multiply-shift, (x · n) >> 64, from 32-bit halves (n < 2³²).
        hi, lo = x >> np.uint64(32), x & np.uint64(0xFFFFFFFF)
        nn = np.uint64(n)
        idx = ((hi * nn + ((lo * nn) >> np.uint64(32))) >> np.uint64(32)).astype(np.int64)
    out = np.zeros((rounds, n))
    np.add.at(out, (np.repeat(np.arange(rounds), n), idx.ravel()), 1.0)
    return out


def interval95(values: np.ndarray) -> np.ndarray:
    """Linear 2.5 / 97.5 percentiles over axis 0 (rounds), NaN rounds left out: (2, columns)."""
    if np.isfinite(values).all():
        return np.percentile(values, [2.5, 97.5], axis=0)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns: no interval
        return np.nanpercentile(np.where(np.isfinite(values), values, np.nan), [2.5, 97.5], axis=0)


def means_bootstrap(d: Data, wp: np.ndarray, wr: np.ndarray):
    """Means per group, n per group and (rounds > 0) the 95% intervals, (2, groups)."""
    groups = len(d.criteria) * len(d.candidates)
    n = np.bincount(d.r_group, minlength=groups)
    sums = np.bincount(d.r_group, weights=d.r_value, minlength=groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / n
    rounds = wp.shape[0]
    if rounds == 0:
        return means, n, None
    P, R = len(d.personas), len(d.reviewers)
    # Dense sum and count matrices, stacked and laid out (2·groups·R, P) for one matmul.
    m = np.zeros((2, groups, R, P))
    m[0, d.r_group, d.r_reviewer, d.r_persona] = d.r_value
    m[1, d.r_group, d.r_reviewer, d.r_persona] = 1.0
    m = m.reshape(2 * groups * R, P)
    out = np.empty((rounds, groups))
    for s in range(0, rounds, BATCH):
        e = min(rounds, s + BATCH)
        t = (m @ wp[s:e].T).reshape(2, groups, R, e - s)  # Σ_p wp[p]·M[g, r, p]
        nd = np.einsum("xgrb,rb->xgb", t, wr[s:e].T, optimize=True)  # Σ_r wr[r]·…
        with np.errstate(invalid="ignore", divide="ignore"):
            out[s:e] = (nd[0] / nd[1]).T
    return means, n, interval95(out)


def alphas(d: Data):
    """Krippendorff's α (ordinal) and the pairable count per criterion."""
    nc, P, R = len(d.candidates), len(d.personas), len(d.reviewers)
    out = []
    crit = d.r_group // nc
    for k in range(len(d.criteria)):
        sel = crit == k
        data = np.full((R, nc * P), np.nan)
        data[d.r_reviewer[sel], (d.r_group[sel] - k * nc) * P + d.r_persona[sel]] = d.r_value[sel]
        per_unit = np.count_nonzero(~np.isnan(data), axis=0)
        pairable = int(per_unit[per_unit >= 2].sum())
        data = data[:, per_unit >= 1]
        a = None
        if pairable > 1:
            try:
                a = float(krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal"))
            except ValueError:  # one value only: no disagreement possible
                a = None
            if a is not None and not math.isfinite(a):
                a = None
        out.append((a, pairable))
    return out


def strongly_connected(w: np.ndarray, compared: np.ndarray) -> np.ndarray:
    """Per round: every compared candidate reaches every other along wins (w: (K, n, n))."""
    K, n, _ = w.shape
    reach = (w > 0) | np.eye(n, dtype=bool)
    for _ in range(max(1, math.ceil(math.log2(max(n, 2))))):
        reach = reach | (np.matmul(reach.astype(np.float64), reach.astype(np.float64)) > 0)
    start = np.argmax(compared, axis=1)
    k = np.arange(K)
    fwd = reach[k, start, :] | ~compared
    bwd = reach[k, :, start] | ~compared
    return fwd.all(axis=1) & bwd.all(axis=1)


def _bt_setup(wins: np.ndarray):
    """What both fits share, per round of wins (K, n, n): the compared candidates, whether the
    round needs regularising, and the (regularised) wins, wins per candidate and games per pair."""
    K, n, _ = wins.shape
    compared = ((wins + wins.transpose(0, 2, 1)) > 0).any(axis=2)
    regularized = ~strongly_connected(wins, compared)
    w = wins.copy()
    if regularized.any():
        both = compared[:, :, None] & compared[:, None, :] & ~np.eye(n, dtype=bool)
        w += np.where(both & regularized[:, None, None], 0.5, 0.0)
    return compared, regularized, w, w.sum(axis=2), w + w.transpose(0, 2, 1)


def _centred(logp: np.ndarray, compared: np.ndarray) -> np.ndarray:
    logp = np.where(compared, logp, np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a round that compared nothing
        return logp - np.nanmean(logp, axis=1, keepdims=True)


def bt_newton(wins: np.ndarray, start: np.ndarray | None = None, max_iter: int = 100):
    """The Bradley–Terry maximum-likelihood fit of every round of wins (K, n, n) by Newton's
    method on the log-strengths (batched 4 × 4 solves), with step halving while the
    log-likelihood would drop. Same model, same regularisation as Rust's; converged to a step
    below 1e-10 (quadratic convergence: the error is far smaller). Returns the log-strengths
    centred on 0 (NaN for a candidate never compared), (K, n), the regularised rounds and the
    iterations taken."""
    compared, regularized, w, total, games = _bt_setup(wins)
    K, n = compared.shape
    cm = compared.astype(np.float64)
    beta = np.zeros((K, n)) if start is None else np.where(np.isfinite(start), start, 0.0)
    beta = np.where(compared, beta, 0.0)
    # Fixes the free constant (log-strengths are defined up to one) and leaves candidates that
    # were never compared where they are.
    pin = cm[:, :, None] * cm[:, None, :] + (1.0 - cm)[:, :, None] * np.eye(n)

    def loglik(b: np.ndarray) -> np.ndarray:
        return -(w * np.logaddexp(0.0, b[:, None, :] - b[:, :, None])).sum(axis=(1, 2))

    ll = loglik(beta)
    it = 0
    for it in range(1, max_iter + 1):
        pi = 0.5 * (1.0 + np.tanh((beta[:, :, None] - beta[:, None, :]) / 2.0))  # P(i beats j)
        grad = (total - (games * pi).sum(axis=2)) * cm
        v = games * pi * (1.0 - pi)
        neg_hessian = v.sum(axis=2)[:, :, None] * np.eye(n) - v
        delta = np.linalg.solve(neg_hessian + pin, grad[..., None])[..., 0]
        step = np.ones(K)
        for _ in range(60):
            new = beta + step[:, None] * delta
            new_ll = loglik(new)
            worse = new_ll < ll - 1e-12 * (1.0 + np.abs(ll))
            if not worse.any():
                break
            step = np.where(worse, step / 2.0, step)
        beta, ll = new, new_ll
        if np.abs(step[:, None] * delta).max() < 1e-10:
            break
    return _centred(beta, compared), regularized, it


def bt_score_residual(wins: np.ndarray, strengths: np.ndarray) -> float:
    """max |observed − expected wins| of any candidate under `strengths` (K, n): 0 at the
    maximum-likelihood fit (its score equations), whatever the algorithm."""
    compared, _, _, total, games = _bt_setup(wins)
    b = np.where(np.isfinite(strengths), strengths, 0.0)
    pi = 0.5 * (1.0 + np.tanh((b[:, :, None] - b[:, None, :]) / 2.0))
    return float(np.abs(np.where(compared, total - (games * pi).sum(axis=2), 0.0)).max())


def win_matrices(d: Data, wp: np.ndarray | None, wr: np.ndarray | None) -> np.ndarray:
    """The (weighted) win matrices, (K, n, n): wins[a, b] += w·score and
    wins[b, a] += w·(1 − score) for every pair; unweighted (K = 1) without weights."""
    nc, P, R = len(d.candidates), len(d.personas), len(d.reviewers)
    p, r = d.pairs[:, 0].astype(np.int64), d.pairs[:, 1].astype(np.int64)
    a, b, s = d.pairs[:, 2].astype(np.int64), d.pairs[:, 3].astype(np.int64), d.pairs[:, 4]
    if wp is None:
        w = np.zeros(nc * nc)
        np.add.at(w, a * nc + b, s)
        np.add.at(w, b * nc + a, 1.0 - s)
        return w.reshape(1, nc, nc)
    cell = np.zeros((P, R, nc * nc))
    np.add.at(cell, (p, r, a * nc + b), s)
    np.add.at(cell, (p, r, b * nc + a), 1.0 - s)
    t = (wp @ cell.reshape(P, R * nc * nc)).reshape(-1, R, nc * nc)  # Σ_p wp[p]·cell[p]
    return np.einsum("krx,kr->kx", t, wr, optimize=True).reshape(-1, nc, nc)


def bt_all(d: Data, wp, wr, pair):
    """Full-data strengths, whether regularised, and (rounds > 0) per-round strengths and
    P(challenger beats incumbent)."""
    if len(d.pairs) == 0:
        return None, False, None, None
    full, reg, _ = bt_newton(win_matrices(d, None, None))
    if wp.shape[0] == 0:
        return full[0], bool(reg[0]), None, None
    wins = win_matrices(d, wp, wr)
    rounds, _, _ = bt_newton(wins, np.broadcast_to(full, (wins.shape[0], full.shape[1])))
    wp_rounds = None
    if pair is not None:
        c, i = pair
        wp_rounds = 1.0 / (1.0 + np.exp(rounds[:, i] - rounds[:, c]))
    return full[0], bool(reg[0]), rounds, wp_rounds


# --- the run ------------------------------------------------------------------------------------


def run_stats(d: Data, rounds: int, seed: int, pair, rust_seed: int | None = None):
    """The statistics, timed; the draws from NumPy's generator, or with `rust_seed` Rust's."""
    # The draws count towards the bootstrap, as in Rust.
    t0 = time.perf_counter()
    if rust_seed is None:
        rng = np.random.default_rng(seed)
        wp = resample_weights(rng, len(d.personas), rounds)
        wr = resample_weights(rng, len(d.reviewers), rounds)
    else:
        wp = rust_weights(len(d.personas), rust_seed, rounds, 0)
        wr = rust_weights(len(d.reviewers), rust_seed, rounds, 1)
    means = means_bootstrap(d, wp, wr)
    t1 = time.perf_counter()
    alpha = alphas(d)
    t2 = time.perf_counter()
    bt = bt_all(d, wp, wr, pair)
    t3 = time.perf_counter()
    times = {"means_bootstrap_s": t1 - t0, "alpha_s": t2 - t1, "bradley_terry_s": t3 - t2}
    return (means, alpha, bt), times


def results(d: Data, stats) -> dict:
    (means, n, ci), alpha, (bt_full, bt_reg, bt_rounds, win_rounds) = stats
    nc = len(d.candidates)
    crit_out = {}
    for k, crit in enumerate(d.criteria.names):
        cands = {}
        for c, cand in enumerate(d.candidates.names):
            g = k * nc + c
            if n[g] > 0:
                cands[cand] = {
                    "mean": float(means[g]),
                    "n": int(n[g]),
                    "ci": None if ci is None else [float(ci[0, g]), float(ci[1, g])],
                }
        crit_out[crit] = {"alpha": alpha[k][0], "pairable": alpha[k][1], "candidates": cands}
    bt_out = {}
    if bt_full is not None:
        bt_ci = None if bt_rounds is None else interval95(bt_rounds)
        for i, cand in enumerate(d.candidates.names):
            if math.isfinite(bt_full[i]):
                bt_out[cand] = {
                    "strength": float(bt_full[i]),
                    "ci": None if bt_ci is None else [float(bt_ci[0, i]), float(bt_ci[1, i])],
                }
    win = None
    if win_rounds is not None:
        lo, hi = interval95(win_rounds[:, None])[:, 0]
        win = [float(lo), float(hi)]
    return {
        "personas": len(d.personas),
        "reviewers": len(d.reviewers),
        "judgements": d.judgements,
        "pairs": len(d.pairs),
        "criteria": crit_out,
        "bradley_terry": bt_out,
        "regularized": bt_reg,
        "win_probability_ci": win,
    }


def same_draws(ref: dict, rust: dict, bt_tol: float) -> dict:
    """Intervals recomputed with Rust's own draws against Rust's: equal up to rounding."""
    worst = {"mean_ci": 0.0, "bt_ci": 0.0, "win_probability_ci": 0.0}
    missing = 0
    for crit, rc in rust["criteria"].items():
        for cand, rm in rc["candidates"].items():
            pm = ref["criteria"].get(crit, {}).get("candidates", {}).get(cand)
            if pm is None or (pm["ci"] is None) != (rm["ci"] is None):
                missing += 1
            elif pm["ci"] is not None:
                diff = max(abs(a - b) for a, b in zip(pm["ci"], rm["ci"]))
                worst["mean_ci"] = max(worst["mean_ci"], diff)
    for cand, rs in rust["preferences"]["bradley_terry"].items():
        ps = ref["bradley_terry"].get(cand)
        if ps is None or (ps["ci"] is None) != (rs["ci"] is None):
            missing += 1
        elif ps["ci"] is not None:
            worst["bt_ci"] = max(worst["bt_ci"], *(abs(a - b) for a, b in zip(ps["ci"], rs["ci"])))
    rw = rust["preferences"].get("challenger_vs_incumbent")
    if rw and rw.get("ci") and ref["win_probability_ci"]:
        diff = max(abs(a - b) for a, b in zip(ref["win_probability_ci"], rw["ci"]))
        worst["win_probability_ci"] = diff
    ok = (
        missing == 0
        and worst["mean_ci"] <= MEAN_TOL
        and worst["bt_ci"] <= bt_tol
        and worst["win_probability_ci"] <= bt_tol
    )
    return {"ok": ok, "missing": missing, **{f"{k}_max_abs_diff": v for k, v in worst.items()}}


def agreement(ref: dict, rust: dict, ci_tol: float, bt_tol: float) -> dict:
    problems: list[str] = []
    max_mean = max_alpha = max_ci = max_bt = max_bt_ci = 0.0
    groups = 0
    for field in ("personas", "reviewers", "judgements"):
        if ref[field] != rust[field]:
            problems.append(f"{field}: reference {ref[field]}, Rust {rust[field]}")
    if ref["pairs"] != rust["preferences"]["pairs"]:
        problems.append(f"pairs: reference {ref['pairs']}, Rust {rust['preferences']['pairs']}")
    if set(ref["criteria"]) != set(rust["criteria"]):
        problems.append("criteria differ")
    for crit, rc in rust["criteria"].items():
        pc = ref["criteria"].get(crit)
        if pc is None:
            continue
        a, b = pc["alpha"], rc["alpha"]
        if (a is None) != (b is None):
            problems.append(f"{crit}: α reference {a}, Rust {b}")
        elif a is not None:
            max_alpha = max(max_alpha, abs(a - b))
        if pc["pairable"] != rc["pairable"]:
            problems.append(f"{crit}: pairable reference {pc['pairable']}, Rust {rc['pairable']}")
        if set(pc["candidates"]) != set(rc["candidates"]):
            problems.append(f"{crit}: candidates differ")
        for cand, rm in rc["candidates"].items():
            pm = pc["candidates"].get(cand)
            if pm is None:
                continue
            groups += 1
            max_mean = max(max_mean, abs(pm["mean"] - rm["mean"]))
            if pm["n"] != rm["n"]:
                problems.append(f"{crit}/{cand}: n reference {pm['n']}, Rust {rm['n']}")
            if (pm["ci"] is None) != (rm["ci"] is None):
                problems.append(f"{crit}/{cand}: interval reference {pm['ci']}, Rust {rm['ci']}")
            elif pm["ci"] is not None:
                max_ci = max(max_ci, abs(pm["ci"][0] - rm["ci"][0]), abs(pm["ci"][1] - rm["ci"][1]))
    rbt = rust["preferences"]["bradley_terry"]
    if set(rbt) != set(ref["bradley_terry"]):
        problems.append("Bradley–Terry candidates differ")
    for cand, rs in rbt.items():
        ps = ref["bradley_terry"].get(cand)
        if ps is None:
            continue
        max_bt = max(max_bt, abs(ps["strength"] - rs["strength"]))
        if ps["ci"] is not None and rs["ci"] is not None:
            max_bt_ci = max(max_bt_ci, *(abs(a - b) for a, b in zip(ps["ci"], rs["ci"])))
    if ref["regularized"] != rust["preferences"]["regularized"]:
        problems.append(
            f"regularized: reference {ref['regularized']}, "
            f"Rust {rust['preferences']['regularized']}"
        )
    win_diff = None
    rw = rust["preferences"].get("challenger_vs_incumbent")
    if rw and rw.get("ci") and ref["win_probability_ci"]:
        win_diff = max(abs(a - b) for a, b in zip(ref["win_probability_ci"], rw["ci"]))
    checks = {
        "means": {
            "max_abs_diff": max_mean,
            "tolerance": MEAN_TOL,
            "ok": max_mean <= MEAN_TOL,
            "groups": groups,
        },
        "alpha": {"max_abs_diff": max_alpha, "tolerance": ALPHA_TOL, "ok": max_alpha <= ALPHA_TOL},
        "mean_ci": {"max_abs_diff": max_ci, "tolerance": ci_tol, "ok": max_ci <= ci_tol},
        "bt_strength": {"max_abs_diff": max_bt, "tolerance": bt_tol, "ok": max_bt <= bt_tol},
        # Informational: different random draws, no tolerance asked for.
        "bt_ci_max_abs_diff": max_bt_ci,
        "win_probability_ci_max_abs_diff": win_diff,
    }
    ok = not problems and all(c["ok"] for c in checks.values() if isinstance(c, dict))
    return {"ok": ok, "problems": problems, **checks}


def bt_diagnosis(d: Data, rust: dict, pair) -> dict:
    """Untimed: how close Rust's Bradley–Terry numbers are to the maximum-likelihood fit: the
    residual of the score equations (observed − expected wins) at Rust's strengths and at
    Newton's, and, with Rust's own draws, how far Rust's intervals are from the converged
    rounds'."""
    names = d.candidates.names
    rust_bt = rust["preferences"]["bradley_terry"]
    rust_full = np.array([[rust_bt.get(c, {}).get("strength", np.nan) for c in names]])
    wins = win_matrices(d, None, None)
    newton, _, newton_iters = bt_newton(wins)
    out = {
        "newton_iterations_full": newton_iters,
        "rust_vs_mle_full_max_abs_diff": float(np.nanmax(np.abs(rust_full - newton))),
        "score_residual_full_rust": bt_score_residual(wins, rust_full),
        "score_residual_full_mle": bt_score_residual(wins, newton),
    }
    rounds = rust.get("rounds", 0)
    if rounds > 0:
        wp = rust_weights(len(d.personas), rust["seed"], rounds, 0)
        wr = rust_weights(len(d.reviewers), rust["seed"], rounds, 1)
        round_wins = win_matrices(d, wp, wr)
        mle_rounds, _, _ = bt_newton(round_wins, np.broadcast_to(newton, (rounds, len(names))))
        rust_ci = np.array([rust_bt.get(c, {}).get("ci") or [np.nan, np.nan] for c in names]).T
        out.update({
            "rounds": rounds,
            "rust_vs_mle_ci_max_abs_diff": float(np.nanmax(np.abs(rust_ci - interval95(mle_rounds)))),
        })
        rw = rust["preferences"].get("challenger_vs_incumbent")
        if pair is not None and rw:
            c, i = pair
            p_mle = 1.0 / (1.0 + np.exp(newton[0, i] - newton[0, c]))
            out["win_probability_rust_vs_mle_abs_diff"] = abs(rw["p"] - float(p_mle))
    return out

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("--rounds", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--repeat", type=int, default=3, help="runs of the statistics (median reported)"
    )
    ap.add_argument("--session")
    ap.add_argument("--incumbent")
    ap.add_argument("--challenger")
    ap.add_argument(
        "--rust", help="the Rust report (screening report --format json) to compare with"
    )
    ap.add_argument("--bt-tolerance", type=float, default=BT_TOL,
                    help="how far a Bradley–Terry strength may be from Rust's (default 1e-6)")
    ap.add_argument("--ci-tolerance", type=float, default=CI_TOL,
                    help="how far a bound of a mean's interval may be from Rust's (default 0.05)")
    args = ap.parse_args()

    t0 = time.perf_counter()
    events = parse(args.file)
    parse_s = time.perf_counter() - t0
    note(f"parsed {len(events)} events in {parse_s:.2f} s")
    t0 = time.perf_counter()
    d = prepare(events, args.session)
    prepare_s = time.perf_counter() - t0
    del events
    note(
        f"prepared in {prepare_s:.2f} s: {len(d.r_value)} ratings, {len(d.pairs)} pairs, "
        f"{len(d.personas)} personas × {len(d.reviewers)} reviewers, "
        f"{len(d.candidates)} candidates × {len(d.criteria)} criteria"
    )
    pair = None
    if args.incumbent and args.challenger:
        pair = (d.candidates.of.get(args.challenger), d.candidates.of.get(args.incumbent))
        if None in pair:
            raise SystemExit("error: --incumbent/--challenger not among the candidates")

    keys = ("means_bootstrap_s", "alpha_s", "bradley_terry_s", "total_stats_s")
    runs: dict[str, list[float]] = {k: [] for k in keys}
    stats = None
    for i in range(max(1, args.repeat)):
        stats, t = run_stats(d, args.rounds, args.seed, pair)
        t["total_stats_s"] = sum(t.values())
        for k, v in t.items():
            runs[k].append(v)
        note(f"run {i + 1}: " + ", ".join(f"{k} {v:.3f}" for k, v in t.items()))

    timings = {"parse_s": parse_s, "prepare_s": prepare_s}
    timings.update({k: statistics.median(v) for k, v in runs.items()})
    timings["total_stats_min_s"] = min(runs["total_stats_s"])
    out = {
        **timings,
        "runs": runs,
        "rounds": args.rounds,
        "seed": args.seed,
        "versions": {
            "python": sys.version.split()[0],
            "numpy": np.__version__,
            "scipy": pkg_version("scipy"),
            "krippendorff": pkg_version("krippendorff"),
        },
        "cpus": os.cpu_count(),
        "results": results(d, stats),
    }
    code = 0
    if args.rust:
        with open(args.rust, encoding="utf-8") as f:
            rust = json.load(f)
        out["agreement"] = agreement(out["results"], rust, args.ci_tolerance, args.bt_tolerance)
        if rust.get("rounds", 0) > 0:
            # Untimed: the intervals again with Rust's draws (its seed and rounds), which must
            # then equal Rust's, so the bootstrap itself is checked, not only its spread.
            same, _ = run_stats(d, rust["rounds"], args.seed, pair, rust_seed=rust["seed"])
            out["agreement"]["same_draws"] = same_draws(results(d, same), rust, args.bt_tolerance)
            out["agreement"]["ok"] &= out["agreement"]["same_draws"]["ok"]
        if len(d.pairs) and rust["preferences"]["bradley_terry"]:
            out["agreement"]["bt_diagnosis"] = bt_diagnosis(d, rust, pair)
        if not out["agreement"]["ok"]:
            code = 1
            note("DISAGREEMENT with the Rust report: " + json.dumps(out["agreement"], indent=1))
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return code


if __name__ == "__main__":
    sys.exit(main())
