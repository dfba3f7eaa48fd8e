"""The set algebra of scored matches against a plain dict model, on sparse and dense inputs."""

import numpy as np
import pytest

from indexer.bm25 import Scored, intersection, top, union


def scored(rng: np.random.Generator, universe: int, n: int) -> Scored:
    ids = np.sort(rng.choice(universe, size=n, replace=False)).astype(np.int64)
    return Scored(ids, rng.random(n) + 0.1)


def as_dict(s: Scored) -> dict[int, float]:
    assert np.all(np.diff(s.ids) > 0), "ids ascending and unique"
    return dict(zip(s.ids.tolist(), s.scores.tolist()))


@pytest.mark.parametrize("universe,sizes", [(100_000, (30, 50, 7)),        # sparse: sorting
                                            (1_000, (600, 400, 900)),       # dense: counting
                                            (5_000, (4_000, 1, 0))])
def test_union_and_intersection_match_a_dict_model(universe, sizes):
    rng = np.random.default_rng(universe)
    parts = [scored(rng, universe, n) for n in sizes]
    models = [as_dict(p) for p in parts]

    expected_union: dict[int, float] = {}
    for m in models:
        for k, v in m.items():
            expected_union[k] = expected_union.get(k, 0.0) + v
    got = as_dict(union(parts))
    assert got.keys() == expected_union.keys()
    assert all(got[k] == pytest.approx(v) for k, v in expected_union.items())

    common = set.intersection(*(set(m) for m in models))
    got = as_dict(intersection(parts))
    assert got.keys() == common
    assert all(got[k] == pytest.approx(sum(m[k] for m in models)) for k in common)


def test_empty_parts():
    assert len(union([])) == 0 and len(intersection([])) == 0
    one = Scored(np.array([1, 5]), np.array([0.5, 0.25]))
    assert len(intersection([one, Scored.empty()])) == 0
    assert as_dict(union([one, Scored.empty()])) == {1: 0.5, 5: 0.25}


def test_top_breaks_ties_by_document_number_and_honours_the_mask():
    s = Scored(np.array([2, 4, 6, 8]), np.array([1.0, 3.0, 3.0, 2.0]))
    ids, scores = top(s, 2)
    assert ids.tolist() == [4, 6] and scores.tolist() == [3.0, 3.0]
    allowed = np.array([True] * 5 + [False] * 4)
    assert top(s, 2, allowed)[0].tolist() == [4, 2]
