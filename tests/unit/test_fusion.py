import pytest

from search_api.fusion import min_max, ranked, reciprocal_rank_fusion, weighted_fusion


def test_reciprocal_rank_fusion_by_hand():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "a"]], k=60)
    assert fused == pytest.approx({"a": 1 / 61 + 1 / 62, "b": 1 / 62, "c": 1 / 63 + 1 / 61})
    assert ranked(fused) == ["a", "c", "b"]


def test_weighted_fusion_normalises_each_run():
    assert min_max({"a": 10.0, "b": 5.0, "c": 0.0}) == {"a": 1.0, "b": 0.5, "c": 0.0}
    assert min_max({"a": 3.0}) == {"a": 1.0}
    fused = weighted_fusion([{"a": 10.0, "b": 0.0}, {"b": 0.9, "c": 0.1}], [0.7, 0.3])
    assert fused == pytest.approx({"a": 0.7, "b": 0.3, "c": 0.0})


def test_keyword_first_fusion_keeps_keyword_matches_above_semantic_only_documents():
    from search_api.fusion import keyword_first_fusion

    keyword = {"a": 12.0, "b": 3.0, "c": 2.0}
    semantic = {"c": 0.9, "z": 0.95, "a": 0.2}
    fused = keyword_first_fusion(keyword, semantic, 0.2)
    # z is the most similar but has none of the words: it follows every keyword match
    assert ranked(fused) == ["a", "c", "b", "z"]
    # within the keyword matches, semantic re-orders: c (similar) overtakes b (not in the semantic run)
    assert fused["c"] == 1.0 + 0.8 * (2.0 - 2.0) / 10.0 + 0.2 * (0.9 - 0.2) / 0.75
