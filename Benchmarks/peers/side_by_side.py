#!/usr/bin/env python3
"""The matcher's peers, side by side with the Swift figures, on the same data.

`cds-match-bench --export DIR` writes the matcher's packed arrays (NAME.i64), the
allocation candidate graphs (edges_N.i32) and its own figures (swift.json). This script
runs, on exactly that data:

1. numpy, two ways, each with the same integer score as the Swift kernel and the top-10
   by `argpartition`, each checked against Swift's top-10 of the first 50 needs (exit 1
   on the first difference):
   - dense, PERFORMANCE.md's peer: the scores of `--dense-block` needs × every offer as
     one matrix, for the first `--dense-needs` needs (default all: then its feasible
     count and checksum are checked against Swift's full scan too);
   - one need at a time (memory stays at a few arrays of `offers` elements): pairs/s on
     the first `--numpy-needs` needs, and the latency of one need's top-10. It is
     faster than the dense peer, so its ratios are given too.
2. scipy: `min_weight_full_bipartite_matching` on each candidate graph.
3. OR-Tools: `SimpleMinCostFlow` b-matching on each candidate graph.

It checks that the three allocation objectives (Swift, scipy, OR-Tools) are equal,
prints the figures and the ratios (Swift time / peer time), and writes them to
DIR/peers.json. See README.md next to this file.

Usage:
    python3 Benchmarks/peers/side_by_side.py --data DIR [--numpy-needs 300] [--dense-needs N] [--dense-block 1000]
                                             [--sizes 1000,5000,10000]
    python3 Benchmarks/peers/side_by_side.py          # exports to .data/match first (swift run)
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

try:
    import numpy as np
    import scipy
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching
    import ortools
    from ortools.graph.python import min_cost_flow
except ImportError as error:  # a clear message rather than a traceback
    print(f"missing Python module: {error.name}. Install the peers with: "
          f"python3 -m pip install numpy scipy ortools", file=sys.stderr)
    sys.exit(2)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOP_K = 10
VERIFY_NEEDS = 50      # the Swift export holds the top-10 of needs 0..49
LATENCY_NEEDS = 20     # one-need latency: the median over this many needs
SEED = 7               # the needs timed for latency (deterministic)
EMPTY_FIRST, EMPTY_LAST = 1 << 40, -(1 << 40)   # a padding window that overlaps nothing


# --------------------------------------------------------------------------------------
# Data


def load(data_dir):
    """swift.json and every array it names, as int64 numpy arrays."""
    with open(os.path.join(data_dir, "swift.json")) as f:
        swift = json.load(f)
    arrays = {name: np.fromfile(os.path.join(data_dir, name + ".i64"), dtype="<i8")
              for name in swift["arrays"]}
    return swift, arrays


def padded_csr(start, values, pad, width=1):
    """A CSR list (row i = values[start[i]:start[i+1]], each item `width` values) as a
    (max count, width, rows) array, missing items filled with `pad` (one value per column)."""
    rows = len(start) - 1
    counts = np.diff(start)
    most = int(counts.max()) if rows else 0
    out = np.empty((most, width, rows), dtype=np.int64)
    out[:] = np.asarray(pad, dtype=np.int64).reshape(1, width, 1)
    items = values.reshape(-1, width)
    for k in range(most):
        has = counts > k
        out[k, :, has] = items[start[:-1][has] + k]
    return out, counts


def bit_rows(words, n_words, rows):
    """(64·n_words + 1, rows) booleans: row b = bit b of each row's bitset; the last row,
    all False, is what index -1 reads (a need skill without a parent group)."""
    w = words.view(np.uint64).reshape(rows, n_words)
    out = np.zeros((64 * n_words + 1, rows), dtype=bool)
    for b in range(64 * n_words):
        out[b] = (w[:, b >> 6] >> np.uint64(b & 63)) & np.uint64(1) != 0
    return out


class NumpyScorer:
    """The Swift kernel (MatchIndex.evaluate), vectorized over all offers for one need.

    One need at a time: every step is a whole-array operation over the offers, so the
    memory stays at a few arrays of `offers` elements. Scores are int32 (at most 1000 ×
    the sum of the weights); the day arithmetic of the time value is int64. Each value is
    floored, then multiplied by its weight, as in the kernel, so the sum is the same
    integer. Masks are applied arithmetically (no boolean-indexed writes: they are slow)."""

    def __init__(self, swift, a):
        s = swift["scalars"]
        self.n_offers, self.n_needs, self.slots = s["offers"], s["needs"], s["slots"]
        self.w = tuple(int(s[k]) for k in ("w_skills", "w_territory", "w_time", "w_capacity", "w_sector"))
        if min(self.w) < 0 or 1000 * sum(self.w) >= 2**31:
            raise ValueError("the weights do not fit int32 scores")
        O = self.n_offers
        # Offers, one array of O per attribute (a padded list becomes K arrays of O).
        self.not_lang = ~a["offer_lang"].view(np.uint64)
        flags = a["offer_flags"]
        self.remote = flags & 1 != 0
        self.on_site = flags & 2 != 0
        any_time = flags & 4 != 0
        self.skill = bit_rows(a["offer_skill"], s["words"], O)
        self.group = bit_rows(a["offer_group"], s["words"], O)
        self.origin = a["offer_origin"]
        interest, _ = padded_csr(a["offer_interest_start"], a["offer_interest"], [self.slots - 1])
        self.interest = interest[:, 0, :]  # padding = slot slots-1, whose value is 0 in every table
        all_w, all_count = padded_csr(a["offer_all_start"], a["offer_all"], [EMPTY_FIRST, EMPTY_LAST], 2)
        site_w, site_count = padded_csr(a["offer_site_start"], a["offer_site"], [EMPTY_FIRST, EMPTY_LAST], 2)
        if np.any(any_time & (all_count > 0)):
            raise ValueError("an 'any time' offer (flag 4) has windows: the export breaks its contract")
        self.site_w, self.all_w = site_w, all_w
        self.has_site = site_count > 0
        self.any_time = any_time
        # An 'any time' offer has no window, so its coverage is 0: time = coverage + this.
        self.any_time_1000 = any_time.astype(np.int32) * 1000
        # A need 'either' uses, per offer, all windows if it works remote, else the site
        # windows: fixed per offer, so padded once here.
        either = np.zeros((max(len(all_w), len(site_w)), 2, O), dtype=np.int64)
        either[:] = np.array([EMPTY_FIRST, EMPTY_LAST]).reshape(1, 2, 1)
        either[:len(all_w)] = np.where(self.remote, all_w, either[:len(all_w)])
        either[:len(site_w)] = np.where(self.remote, either[:len(site_w)], site_w)
        self.either_w = either
        cap = a["offer_cap"]
        if cap.size and (cap.min() < 0 or cap.max() >= 2**31 // 1000):
            raise ValueError("capacities outside 0..2^31/1000 (int32 arithmetic)")
        self.cap = cap.astype(np.int32)
        self.unit = a["offer_unit"]
        self.sector = a["offer_sector"]
        self.no_sector_500 = (self.sector == 0).astype(np.int32) * 500
        # Needs, as plain Python ints (read once per need).
        self.need = {k: a[k].tolist() for k in ("need_mode", "need_has_window", "need_from", "need_until",
                                                 "need_quantity", "need_unit", "need_sector_bit", "need_table")}
        self.need["need_lang"] = a["need_lang"].view(np.uint64).tolist()
        st = a["need_skill_start"]
        ex, par = a["need_skill_exact"].tolist(), a["need_skill_parent"].tolist()
        self.need_skills = [list(zip(ex[st[n]:st[n + 1]], par[st[n]:st[n + 1]])) for n in range(self.n_needs)]
        # Territory tables: (tables, 2, slots) = origin values, interest values.
        self.tables = a["tables"].reshape(-1, 2, self.slots).astype(np.int32)
        if np.any(self.tables[:, :, self.slots - 1] != 0):
            raise ValueError("slot slots-1 (none) has a nonzero value: the interest padding would score")

    def _overlap(self, windows, lo, hi):
        """Per offer: some window [first, last] meets [lo, hi]."""
        hit = np.zeros(self.n_offers, dtype=bool)
        for k in range(len(windows)):
            hit |= (windows[k, 0] <= hi) & (windows[k, 1] >= lo)
        return hit

    def _covered(self, windows, lo, hi):
        """Per offer: the days of [lo, hi] that its windows cover (windows are disjoint)."""
        total = np.zeros(self.n_offers, dtype=np.int64)
        for k in range(len(windows)):
            days = np.minimum(windows[k, 1], hi)
            days -= np.maximum(windows[k, 0], lo)
            days += 1
            np.maximum(days, 0, out=days)
            total += days
        return total

    def scores(self, n):
        """The score of need n with every offer (int32); -1 where a hard constraint fails."""
        nd = self.need
        lang, mode, has_window = nd["need_lang"][n], nd["need_mode"][n], nd["need_has_window"][n] != 0
        lo, hi = nd["need_from"][n], nd["need_until"][n]
        w_sk, w_te, w_ti, w_ca, w_se = self.w

        # Hard constraints: languages, then the work mode (on site needs a usable site window).
        ok = (self.not_lang & np.uint64(lang)) == 0 if lang else np.ones(self.n_offers, dtype=bool)

        def site_ok():
            return self.any_time | (self._overlap(self.site_w, lo, hi) if has_window else self.has_site)

        if mode == 1:                          # remote
            ok &= self.remote
            windows = self.all_w
        elif mode == 0:                        # on site
            ok &= self.on_site & site_ok()
            windows = self.site_w
        else:                                  # either: remote if the offer can, else on site
            ok &= self.remote | (self.on_site & site_ok())
            windows = self.either_w

        # Skills: per need skill 1000 exact, 500 the same group (the skill's own or its
        # parent's), else 0, i.e. 500 × (exact + related); value = credit // count.
        skills = self.need_skills[n]
        if skills:
            halves = np.zeros(self.n_offers, dtype=np.int32)
            for e, p in skills:
                if e < 0:
                    continue
                exact = self.skill[e]
                halves += exact
                halves += exact | self.group[e] | self.group[p]   # p = -1 reads the all-False row
            halves *= 500
            halves //= len(skills)
            halves *= w_sk
            score = halves
        else:
            score = np.full(self.n_offers, 1000 * w_sk, dtype=np.int32)

        # Territory: the best of the origin's value and the interests' values in the need's table.
        origin_values, interest_values = self.tables[nd["need_table"][n]] * w_te
        territory = np.take(origin_values, self.origin)
        for k in range(len(self.interest)):
            np.maximum(territory, np.take(interest_values, self.interest[k]), out=territory)
        score += territory

        # Time: the share of the need's window covered by the offer's (site or all) windows.
        if has_window:
            covered = self._covered(windows, lo, hi)
            covered *= 1000
            covered //= max(1, hi - lo + 1)
            time_value = covered.astype(np.int32)
            time_value += self.any_time_1000
            time_value *= w_ti
            score += time_value
        else:
            score += 1000 * w_ti

        # Capacity: 500 when the units differ; else 1000 if cap ≥ quantity, else cap·1000 // quantity.
        quantity, unit = nd["need_quantity"][n], nd["need_unit"][n]
        if 1 <= quantity < 2**31 // 1000:
            capacity = np.minimum(self.cap, quantity)
            capacity *= 1000
            capacity //= quantity
        elif quantity >= 1:                    # a huge quantity: int64 arithmetic
            capacity = (self.cap.astype(np.int64) * 1000 // quantity).astype(np.int32)
        else:                                  # cap ≥ 0 ≥ quantity
            capacity = np.full(self.n_offers, 1000, dtype=np.int32)
        other_unit = self.unit != unit
        if other_unit.any():
            capacity = np.where(other_unit, np.int32(500), capacity)
        capacity *= w_ca
        score += capacity

        # Sector: 500 when either side has none, 1000 on a shared sector, else 0.
        bit = nd["need_sector_bit"][n]
        if bit == 0:
            score += 500 * w_se
        else:
            sector = ((self.sector & bit) != 0).astype(np.int32)
            sector *= 1000
            sector += self.no_sector_500      # offers without sector share nothing: 0 + 500
            sector *= w_se
            score += sector

        # Infeasible → -1: OR with (ok − 1), i.e. 0 when feasible, −1 (all bits) when not.
        score |= ok.astype(np.int32) - 1
        return score

    def top(self, score, k=TOP_K):
        """The k best feasible offers: [(offer, score)], score descending then offer ascending.
        argpartition finds k offers with the best scores; every offer tied with the k-th
        score is then a candidate too, so that ties go to the smaller offer index.
        (argpartition of −score at k−1: the same selection as `score` at len−k, which
        numpy's introselect runs up to 15× slower on these scores.)"""
        k = min(k, len(score))
        if k == 0:
            return []
        some = np.argpartition(-score, k - 1)[:k]
        return ranked(score, max(int(score[some].min()), 0), k)   # infeasible offers (-1) never enter


def ranked(score, floor, k):
    """The k best offers of one need's scores among those at `floor` or above (the k-th
    best score, from argpartition): [(offer, score)], score descending then offer
    ascending, so that ties go to the smaller offer index."""
    candidates = np.flatnonzero(score >= floor)
    best = candidates[np.lexsort((candidates, -score[candidates]))[:k]]
    return [(int(o), int(score[o])) for o in best]


class DenseNumpy:
    """PERFORMANCE.md's numpy peer: dense scores for many needs at once, then the top-10
    of each row by `argpartition`.

    The scores of a block of needs × every offer are one (needs, offers) matrix built by
    broadcasting (need values as columns, offer arrays as rows), which is how the peer of
    the protocol was written (its 100k × 10k run: 77 s, 10.8 GB). Needs are taken in
    blocks of `block` needs of the same work mode (the mode chooses which windows count),
    so that memory stays at a few matrices of block × offers. The score is the same
    integer as NumpyScorer's, and as the Swift kernel's."""

    def __init__(self, scorer, block):
        self.s, self.block = scorer, max(1, block)
        nd = scorer.need
        self.mode = np.asarray(nd["need_mode"], dtype=np.int64)
        skills = scorer.need_skills
        most = max((len(x) for x in skills), default=0)
        none = -1   # bit_rows' last row: all False
        self.exact = np.full((scorer.n_needs, max(most, 1)), none, dtype=np.int64)
        self.parent = np.full((scorer.n_needs, max(most, 1)), none, dtype=np.int64)
        for n, pairs in enumerate(skills):
            for j, (e, p) in enumerate(pairs):
                self.exact[n, j] = e if e >= 0 else none
                self.parent[n, j] = p if p >= 0 else none
        self.count = np.array([len(x) for x in skills], dtype=np.int64)
        col = lambda k, t=np.int64: np.asarray(nd[k], dtype=t)[:, None]
        self.lang = np.asarray(nd["need_lang"], dtype=np.uint64)[:, None]
        self.has_window, self.lo, self.hi = col("need_has_window") != 0, col("need_from"), col("need_until")
        self.quantity, self.unit, self.bit, self.table = col("need_quantity"), col("need_unit"), col("need_sector_bit"), col("need_table")

    def scores(self, needs, mode):
        """The (len(needs), offers) int32 scores of needs that all have work mode `mode`."""
        s, n = self.s, needs
        w_sk, w_te, w_ti, w_ca, w_se = s.w
        lo, hi, has_window = self.lo[n], self.hi[n], self.has_window[n]
        ok = (s.not_lang[None, :] & self.lang[n]) == 0
        site = np.zeros(ok.shape, dtype=bool)
        for k in range(len(s.site_w)):
            site |= (s.site_w[k, 0][None, :] <= hi) & (s.site_w[k, 1][None, :] >= lo)
        site_ok = s.any_time[None, :] | np.where(has_window, site, s.has_site[None, :])
        if mode == 1:
            ok &= s.remote[None, :]
            windows = s.all_w
        elif mode == 0:
            ok &= s.on_site[None, :] & site_ok
            windows = s.site_w
        else:
            ok &= s.remote[None, :] | (s.on_site[None, :] & site_ok)
            windows = s.either_w
        # Skills: half-credits, then ⌊500 × halves / count⌋ × weight (1000 × weight without skills).
        halves = np.zeros(ok.shape, dtype=np.int32)
        for j in range(self.exact.shape[1]):
            e, p = self.exact[n, j], self.parent[n, j]
            exact = s.skill[e]
            halves += exact
            halves += exact | s.group[e] | s.group[p]
        count = self.count[n][:, None].astype(np.int32)
        halves *= 500
        halves //= np.maximum(count, 1)
        score = np.where(count > 0, halves, np.int32(1000))
        score *= w_sk
        # Territory: the best of the origin's and the interests' values in the need's table.
        values = s.tables[self.table[n, 0]] * np.int32(w_te)      # (needs, 2, slots), int32
        territory = values[:, 0, :][:, s.origin]
        for k in range(len(s.interest)):
            territory = np.maximum(territory, values[:, 1, :][:, s.interest[k]])
        score += territory
        # Time: the share of the need's window its windows cover.
        covered = np.zeros(ok.shape, dtype=np.int64)
        for k in range(len(windows)):
            covered += np.maximum(np.minimum(windows[k, 1][None, :], hi) - np.maximum(windows[k, 0][None, :], lo) + 1, 0)
        covered *= 1000
        covered //= np.maximum(hi - lo + 1, 1)
        share = covered.astype(np.int32)
        share += s.any_time_1000[None, :]
        score += np.where(has_window, share, np.int32(1000)) * np.int32(w_ti)
        # Capacity, then sector.
        q = self.quantity[n]
        cap = np.where(q >= 1, np.minimum(s.cap.astype(np.int64)[None, :], q) * 1000 // np.maximum(q, 1), 1000)
        score += (np.where(s.unit[None, :] != self.unit[n], 500, cap) * w_ca).astype(np.int32)
        bit = self.bit[n]
        sector = ((s.sector[None, :] & bit) != 0).astype(np.int32)
        sector *= 1000
        sector += s.no_sector_500[None, :]
        score += np.where(bit == 0, np.int32(500), sector) * np.int32(w_se)
        return np.where(ok, score, np.int32(-1))

    def run(self, count, k=TOP_K):
        """Needs 0..count-1: (seconds, {need: top-k}, feasible, checksum)."""
        tops, feasible, checksum = {}, 0, 0
        t = time.perf_counter()
        for mode in (0, 1, 2):
            ids = np.flatnonzero(self.mode[:count] == mode)
            for start in range(0, len(ids), self.block):
                n = ids[start:start + self.block]
                score = self.scores(n, mode)
                fit = score >= 0
                feasible += int(np.count_nonzero(fit))
                checksum += int(score.sum(where=fit))
                kk = min(k, score.shape[1])
                some = np.argpartition(-score, kk - 1, axis=1)[:, :kk]
                floor = np.maximum(np.take_along_axis(score, some, axis=1).min(axis=1), 0)
                for i, need in enumerate(n.tolist()):
                    tops[need] = ranked(score[i], floor[i], kk)
        return time.perf_counter() - t, tops, feasible, checksum


# --------------------------------------------------------------------------------------
# numpy: verification, throughput, latency


def verify(top_of, swift):
    """The first needs' top-10 (`top_of(need)`) against Swift's; None when equal, else a
    description."""
    expected = swift["top10_first_needs"]
    for n, hits in enumerate(expected[:VERIFY_NEEDS]):
        want = [(h["offer"], h["score"]) for h in hits]
        got = top_of(n)
        if got != want:
            if got is None:
                return f"need {n}: no numpy top-10"
            for i in range(max(len(got), len(want))):
                g = got[i] if i < len(got) else None
                w = want[i] if i < len(want) else None
                if g != w:
                    return f"need {n}, rank {i}: numpy (offer, score) = {g}, Swift = {w}"
    return None


def numpy_scan(scorer, count):
    """Needs 0..count-1 over all offers: the seconds of scoring (with the feasible count
    and the checksum of feasible scores, as Swift's scan) and of the top-10 apart."""
    feasible = checksum = 0
    score_s = top_s = 0.0
    for n in range(count):
        t0 = time.perf_counter()
        s = scorer.scores(n)
        ok = int(np.count_nonzero(s >= 0))
        feasible += ok
        checksum += int(s.sum(dtype=np.int64)) + (len(s) - ok)   # each infeasible −1 added back
        t1 = time.perf_counter()
        scorer.top(s)
        t2 = time.perf_counter()
        score_s += t1 - t0
        top_s += t2 - t1
    return score_s, top_s, feasible, checksum


def numpy_latency(scorer):
    """One need's scores + top-10, in ms, for LATENCY_NEEDS needs drawn with SEED."""
    needs = np.random.default_rng(SEED).choice(scorer.n_needs, size=min(LATENCY_NEEDS, scorer.n_needs), replace=False)
    scorer.top(scorer.scores(int(needs[0])))  # warm-up
    times = []
    for n in needs:
        t = time.perf_counter()
        scorer.top(scorer.scores(int(n)))
        times.append((time.perf_counter() - t) * 1000)
    return float(np.median(times)), float(np.max(times))


# --------------------------------------------------------------------------------------
# Allocation peers


def load_edges(data_dir, size):
    e = np.fromfile(os.path.join(data_dir, f"edges_{size}.i32"), dtype="<i4").reshape(-1, 3).astype(np.int64)
    return e[:, 0], e[:, 1], e[:, 2]


def scipy_allocation(need, offer, score):
    """Max total score, each need ≤ 1 offer, each offer ≤ 1 need, as a min-cost full
    matching of the rows: rows = needs with edges, columns = their offers + one private
    dummy per row; cost = C − score on an edge, C on the dummy (all > 0: scipy drops
    explicit zeros). Objective = rows·C − cost."""
    t = time.perf_counter()
    needs, row = np.unique(need, return_inverse=True)
    offers, col = np.unique(offer, return_inverse=True)   # only the offers in the graph
    R, K = len(needs), len(offers)
    C = int(score.max()) + 1
    rows = np.concatenate([row, np.arange(R)])
    cols = np.concatenate([col, K + np.arange(R)])
    cost = np.concatenate([C - score, np.full(R, C)]).astype(np.float64)
    matrix = csr_matrix((cost, (rows, cols)), shape=(R, K + R))
    build = time.perf_counter() - t
    t = time.perf_counter()
    r, c = min_weight_full_bipartite_matching(matrix)
    solve = time.perf_counter() - t
    total = int(round(float(np.asarray(matrix[r, c]).sum())))
    return {"objective": R * C - total, "pairs": int(np.count_nonzero(c < K)), "rows": R, "columns": K + R,
            "build_s": build, "solve_s": solve}


def ortools_allocation(need, offer, score):
    """The same as a min-cost flow: source → need (cap 1, cost 0) → offer (cap 1,
    cost −score) → sink (cap 1, cost 0), plus source → sink (cap #needs, cost 0) for the
    needs left alone; supply #needs. Objective = −optimal cost."""
    t = time.perf_counter()
    needs, row = np.unique(need, return_inverse=True)
    offers, col = np.unique(offer, return_inverse=True)
    R, K = len(needs), len(offers)
    source, sink = 0, R + K + 1            # needs are 1..R, offers R+1..R+K
    tails = np.concatenate([np.zeros(R, np.int64), 1 + row, R + 1 + np.arange(K), [source]])
    heads = np.concatenate([1 + np.arange(R), R + 1 + col, np.full(K, sink), [sink]])
    caps = np.concatenate([np.ones(R + len(score) + K, np.int64), [R]])
    costs = np.concatenate([np.zeros(R, np.int64), -score, np.zeros(K + 1, np.int64)])
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    flow.set_nodes_supplies(np.array([source, sink]), np.array([R, -R]))
    setup = time.perf_counter() - t
    t = time.perf_counter()
    status = flow.solve()
    solve = time.perf_counter() - t
    if status != flow.OPTIMAL:
        raise RuntimeError(f"OR-Tools min cost flow status {status}")
    used = flow.flows(arcs[R:R + len(score)])
    return {"objective": -int(flow.optimal_cost()), "pairs": int(np.count_nonzero(used)),
            "setup_s": setup, "solve_s": solve}


# --------------------------------------------------------------------------------------
# Report


def ratio(swift_s, peer_s):
    """Swift time / peer time, and who is faster in words."""
    r = swift_s / peer_s if peer_s > 0 else float("inf")
    if 0.95 <= r <= 1.05:
        return r, "about even"
    return r, (f"peer {r:.1f}× faster" if r > 1 else f"Swift {1 / r:.1f}× faster")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", help="an existing export of cds-match-bench (default: export to .data/match first)")
    p.add_argument("--numpy-needs", type=int, default=300, help="needs scored by numpy for pairs/s (default 300)")
    p.add_argument("--dense-needs", type=int, default=0,
                   help="needs scored by the dense numpy peer (default 0: all of them)")
    p.add_argument("--dense-block", type=int, default=1000,
                   help="needs per dense score matrix (default 1000: 400 MB of int32 scores at 100k offers)")
    p.add_argument("--sizes", default="1000,5000,10000", help="allocation sizes (edges_N.i32), default 1000,5000,10000")
    args = p.parse_args()

    data_dir = args.data
    if not data_dir:
        data_dir = os.path.join(REPO, ".data", "match")
        command = ["swift", "run", "-c", "release", "--package-path", "Benchmarks", "cds-match-bench",
                   "--offers", "100000", "--needs", "10000", "--export", ".data/match"]
        print("exporting:", " ".join(command), flush=True)
        subprocess.run(command, cwd=REPO, check=True)

    swift, arrays = load(data_dir)
    sc = swift["scalars"]
    print(f"data: {data_dir} — {sc['offers']} offers × {sc['needs']} needs; Swift on {swift['threads']} threads")
    print(f"peers: Python {sys.version.split()[0]}, numpy {np.__version__}, scipy {scipy.__version__}, "
          f"OR-Tools {ortools.__version__}")
    out = {"data": os.path.abspath(data_dir), "offers": sc["offers"], "needs": sc["needs"],
           "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__,
                        "ortools": ortools.__version__}}

    # --- numpy scoring: verify first, then time.
    t = time.perf_counter()
    scorer = NumpyScorer(swift, arrays)
    prep = time.perf_counter() - t
    print(f"\nnumpy: offer arrays prepared in {prep:.3f} s")
    mismatch = verify(lambda n: scorer.top(scorer.scores(n), TOP_K), swift)
    if mismatch:
        print(f"numpy top-10 vs Swift: MISMATCH at {mismatch}")
        sys.exit(1)
    print(f"numpy top-10 vs Swift for needs 0..{VERIFY_NEEDS - 1}: OK (offers and scores equal)")

    count = max(1, min(args.numpy_needs, scorer.n_needs))
    score_s, top_s, feasible, checksum = numpy_scan(scorer, count)
    pairs = count * scorer.n_offers
    np_rate = pairs / score_s                 # scoring alone, as Swift's scan
    np_rate_top = pairs / (score_s + top_s)   # scoring + top-10 per need
    swift_pairs = swift["scan_pairs"]
    sw1 = swift_pairs / swift["scan_1_thread_s"]
    swn = swift_pairs / swift["scan_threads_s"]
    print(f"numpy, needs 0..{count - 1} × {scorer.n_offers} offers = {pairs} pairs ({feasible} feasible):")
    print(f"    scoring (+ feasible count, checksum) {score_s:.3f} s = {np_rate / 1e6:.2f} M pairs/s; "
          f"+ top-10 {top_s:.3f} s → {np_rate_top / 1e6:.2f} M pairs/s")
    scan_check = None
    if count == scorer.n_needs:   # the whole scan: Swift's feasible count and checksum apply
        scan_check = feasible == swift["scan_feasible"] and checksum == swift["scan_checksum"]
        print(f"    full scan vs Swift: feasible count and checksum {'OK' if scan_check else 'MISMATCH'}")
    lat_p50, lat_max = numpy_latency(scorer)
    print(f"numpy one need's top-10 over {scorer.n_offers} offers: median {lat_p50:.3f} ms "
          f"(max {lat_max:.3f} ms) over {min(LATENCY_NEEDS, scorer.n_needs)} needs")
    all_needs_est = (score_s + top_s) / count * scorer.n_needs
    out["numpy"] = {"prep_s": prep, "verified_needs": VERIFY_NEEDS, "scan_needs": count, "scan_pairs": pairs,
                    "scan_feasible": feasible, "scan_checksum": checksum, "score_s": score_s, "top10_s": top_s,
                    "pairs_per_s": np_rate, "pairs_per_s_with_top10": np_rate_top,
                    "full_scan_matches_swift": scan_check, "top10_need_p50_ms": lat_p50, "top10_need_max_ms": lat_max,
                    "all_needs_top10_estimate_s": all_needs_est}

    # --- numpy dense (PERFORMANCE.md's peer): verify, time, check the full scan.
    dense = DenseNumpy(scorer, args.dense_block)
    dense_count = scorer.n_needs if args.dense_needs <= 0 else min(args.dense_needs, scorer.n_needs)
    dense_count = max(dense_count, min(VERIFY_NEEDS, scorer.n_needs))
    dense_s, dense_tops, dense_feasible, dense_checksum = dense.run(dense_count)
    mismatch = verify(dense_tops.get, swift)
    if mismatch:
        print(f"numpy dense top-10 vs Swift: MISMATCH at {mismatch}")
        sys.exit(1)
    dense_pairs = dense_count * scorer.n_offers
    dense_rate = dense_pairs / dense_s
    dense_all = dense_s / dense_count * scorer.n_needs
    print(f"numpy dense, {args.dense_block} needs per matrix, needs 0..{dense_count - 1} × {scorer.n_offers} offers: "
          f"{dense_s:.1f} s = {dense_rate / 1e6:.2f} M pairs/s (scores + top-10); top-10 vs Swift for needs "
          f"0..{VERIFY_NEEDS - 1}: OK")
    dense_check = None
    if dense_count == scorer.n_needs:
        dense_check = dense_feasible == swift["scan_feasible"] and dense_checksum == swift["scan_checksum"]
        print(f"    every pair vs Swift's full scan: feasible count and checksum {'OK' if dense_check else 'MISMATCH'}")
    out["numpy_dense"] = {"block": args.dense_block, "needs": dense_count, "pairs": dense_pairs, "seconds": dense_s,
                          "pairs_per_s": dense_rate, "all_needs_top10_s": dense_all, "full_scan_matches_swift": dense_check,
                          "peak_mib_so_far": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}

    # --- allocation peers.
    swift_alloc = {a["needs"]: a for a in swift.get("allocations", [])}
    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    allocations, all_equal = [], True
    print()
    for size in sizes:
        path = os.path.join(data_dir, f"edges_{size}.i32")
        if not os.path.exists(path) or size not in swift_alloc:
            print(f"allocation {size}: no edges_{size}.i32 or Swift figure in the export, skipped")
            continue
        need, offer, score = load_edges(data_dir, size)
        sp = scipy_allocation(need, offer, score)
        ot = ortools_allocation(need, offer, score)
        sw = swift_alloc[size]
        equal = sw["objective"] == sp["objective"] == ot["objective"]
        all_equal &= equal
        print(f"allocation {size} needs, {len(score)} edges: objective Swift {sw['objective']}, "
              f"scipy {sp['objective']}, OR-Tools {ot['objective']} → {'EQUAL' if equal else 'DIFFERENT'}; "
              f"pairs Swift {sw['pairs']}, scipy {sp['pairs']}, OR-Tools {ot['pairs']}")
        print(f"    Swift graph {sw['graph_s']:.3f} s + solver {sw['solver_s']:.3f} s (total {sw['total_s']:.3f} s); "
              f"scipy build {sp['build_s']:.3f} s + solve {sp['solve_s']:.3f} s; "
              f"OR-Tools setup {ot['setup_s']:.3f} s + solve {ot['solve_s']:.3f} s")
        allocations.append({"needs": size, "edges": int(len(score)), "objectives_equal": equal,
                            "swift": sw, "scipy": sp, "ortools": ot})
    out["allocations"] = allocations
    out["objectives_equal"] = all_equal

    # --- the table: Swift vs peers.
    rows = []

    def row(what, swift_value, peer_value, unit, swift_s, peer_s):
        r, words = ratio(swift_s, peer_s)
        rows.append({"figure": what, "swift": swift_value, "peer": peer_value, "unit": unit,
                     "swift_over_peer_time": r, "verdict": words})

    row("scoring, Swift 1 thread vs numpy", sw1 / 1e6, np_rate / 1e6, "M pairs/s", 1 / sw1, 1 / np_rate)
    row(f"scoring, Swift {swift['threads']} threads vs numpy", swn / 1e6, np_rate / 1e6, "M pairs/s", 1 / swn, 1 / np_rate)
    row("one need's top-10 p50, Swift vs numpy", swift["top10_need_p50_ms"], lat_p50, "ms",
        swift["top10_need_p50_ms"], lat_p50)
    how = "measured" if count == scorer.n_needs else "extrapolated"
    row(f"top-10 of all needs, Swift {swift['threads']} thr. vs numpy ({how})", swift["match_all_s"], all_needs_est,
        "s", swift["match_all_s"], all_needs_est)
    how = "measured" if dense_count == scorer.n_needs else "extrapolated"
    row(f"top-10 of all needs, Swift {swift['threads']} thr. vs numpy dense ({how})", swift["match_all_s"], dense_all,
        "s", swift["match_all_s"], dense_all)
    row(f"pairs/s, Swift's full scoring on {swift['threads']} thr. vs numpy dense scores + top-10", swn / 1e6,
        dense_rate / 1e6, "M pairs/s", 1 / swn, 1 / dense_rate)
    for a in allocations:
        n, sw, sp, ot = a["needs"], a["swift"], a["scipy"], a["ortools"]
        row(f"allocation {n}: Swift solver vs scipy solve", sw["solver_s"], sp["solve_s"], "s", sw["solver_s"], sp["solve_s"])
        row(f"allocation {n}: Swift solver vs OR-Tools solve", sw["solver_s"], ot["solve_s"], "s", sw["solver_s"], ot["solve_s"])
        sp_all, ot_all = sp["build_s"] + sp["solve_s"], ot["setup_s"] + ot["solve_s"]
        row(f"allocation {n}: Swift total vs scipy build+solve", sw["total_s"], sp_all, "s", sw["total_s"], sp_all)
        row(f"allocation {n}: Swift total vs OR-Tools setup+solve", sw["total_s"], ot_all, "s", sw["total_s"], ot_all)
    out["table"] = rows

    width = max(len(r["figure"]) for r in rows)
    print(f"\n{'figure':<{width}}  {'Swift':>12}  {'peer':>12}  {'unit':<9}  {'Swift t/peer t':>14}  verdict")
    for r in rows:
        print(f"{r['figure']:<{width}}  {r['swift']:>12.3f}  {r['peer']:>12.3f}  {r['unit']:<9}  "
              f"{r['swift_over_peer_time']:>14.3f}  {r['verdict']}")
    print(f"\nallocation objectives (Swift, scipy, OR-Tools): {'all EQUAL' if all_equal else 'DIFFERENT'}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # Linux: KiB
    out["peak_mib"] = peak
    print(f"peak memory: Python peers {peak:.0f} MiB (this process, all arrays loaded); "
          f"Swift {swift.get('peak_mib', float('nan')):.0f} MiB")

    target = os.path.join(data_dir, "peers.json")
    with open(target, "w") as f:
        json.dump(out, f, indent=2, sort_keys=True)
    print(f"figures written to {target}")
    if not all_equal or scan_check is False or dense_check is False:
        sys.exit(1)


if __name__ == "__main__":
    main()
