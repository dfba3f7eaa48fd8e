import pytest

from search_api.fusion import depth_independent, min_max, ranked, reciprocal_rank_fusion, weighted_fusion


def test_reciprocal_rank_fusion_by_hand():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "a"]], k=60)
    assert fused == pytest.approx({"a": 1 / 61 + 1 / 62, "b": 1 / 62, "c": 1 / 63 + 1 / 61})
    assert ranked(fused) == ["a", "c", "b"]


def test_weighted_fusion_normalises_each_run():
    assert min_max({"a": 10.0, "b": 5.0, "c": 0.0}) == {"a": 1.0, "b": 0.5, "c": 0.0}
    assert min_max({"a": 3.0}) == {"a": 1.0}
    fused = weighted_fusion([{"a": 10.0, "b": 0.0}, {"b": 0.9, "c": 0.1}], [0.7, 0.3])
    assert fused == pytest.approx({"a": 0.7, "b": 0.3, "c": 0.0})


def keyword_first(kw_head, sem_head, kw, sem, matches, w=0.2):
    return depth_independent(weighted_fusion([kw_head, sem_head], [1 - w, w]), kw, sem, first=matches.__contains__)


def test_keyword_first_keeps_keyword_matches_above_semantic_only_documents():
    keyword = {"a": 12.0, "b": 3.0, "c": 2.0}
    semantic = {"c": 0.9, "z": 0.95, "a": 0.2}
    fused = keyword_first(keyword, semantic, keyword, semantic, set(keyword))
    # z is the most similar but has none of the words: it follows every keyword match
    assert ranked(fused) == ["a", "c", "b", "z"]
    # within the keyword matches, semantic re-orders: c (similar) overtakes b (not in the semantic run)
    assert fused["c"] == pytest.approx(1.0 + 0.8 * (2.0 - 2.0) / 10.0 + 0.2 * (0.9 - 0.2) / 0.75)
    assert list(fused.values()) == sorted(fused.values(), reverse=True)


def test_deeper_runs_keep_the_fused_head_in_place():
    """A page of 10 is the start of a page of 100: what deeper runs add comes after the fused heads."""
    kw_head, sem_head = {"a": 12.0, "b": 3.0}, {"c": 0.9, "a": 0.5}
    matches = {"a", "b", "d", "e"}
    shallow = ranked(keyword_first(kw_head, sem_head, kw_head, sem_head, matches))
    deep_kw, deep_sem = {**kw_head, "d": 1.0, "e": 0.5}, {**sem_head, "e": 0.4, "f": 0.3, "g": 0.35}
    deep = ranked(keyword_first(kw_head, sem_head, deep_kw, deep_sem, matches))
    assert shallow == ["a", "b", "c"]
    # beyond the heads: keyword matches first (by keyword score), then the rest by semantic score
    assert deep == ["a", "b", "c", "d", "e", "g", "f"]
