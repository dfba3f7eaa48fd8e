"""The vectorised BM25F executor agrees with Whoosh on the real test index: the same matches, and the
same scores (phrases and reference numbers are scored on purpose in our own way, so only their
matches are compared)."""

from __future__ import annotations

import numpy as np
import pytest

from indexer import keyword_query
from indexer.keyword import KeywordIndex, KeywordSearcher
from indexer.query import parse_query

QUERIES = ["Rat", "Sitzung Rat", "Feuerwehr Fahrzeug", "Bebauungsplan Satzungsbeschluss", "Haushalt -Nachtrag",
           "Kita OR Schule", "Feuerwher", "Ortsrat*", "Wann wurde über die Sanierung der Schule entschieden",
           '"Zu Punkt"', "DS 26/2022", "Digitalisierung Kreis"]


@pytest.fixture(scope="module")
def view(index_settings):
    return KeywordSearcher(KeywordIndex(index_settings.keyword_index_dir)).view()


@pytest.mark.parametrize("q", QUERIES)
def test_matches_and_scores_equal_whoosh(view, q):
    pq = parse_query(q)
    combine = "and" if sum(len(c.text.split()) for c in pq.clauses) <= keyword_query.ALL_TERMS_MAX_WORDS else "or"
    plan = keyword_query.build(pq, index=view, combine=combine)
    ours = view.execute(plan)
    theirs = {h.docnum: h.score for h in view.searcher.search(keyword_query.to_whoosh(plan), limit=None)}
    assert ours.ids.tolist() == sorted(theirs)
    if not any(isinstance(o, keyword_query.Phrase) for c in plan.clauses for o in c.options) and not plan.references:
        assert np.allclose(ours.scores, [theirs[i] for i in ours.ids.tolist()], rtol=1e-5, atol=1e-6)


def test_bulk_postings_give_the_same_results(index_settings, tmp_path, monkeypatch):
    """Long lists read from the decoded arrays beside the index (lowered bound: every list is long)."""
    import shutil

    from indexer import postings

    monkeypatch.setattr(postings, "BULK_MIN_DF", 2)
    copy = tmp_path / "keyword"
    shutil.copytree(index_settings.keyword_index_dir, copy, ignore=shutil.ignore_patterns(postings.BULK_DIR))
    index = KeywordIndex(copy)
    assert index.write_bulk_postings() >= 1 and index.write_bulk_postings() == 0  # once per segment
    bulk_view = KeywordSearcher(index).view()
    assert all(leaf.bulk is not None and leaf.bulk.terms for leaf in bulk_view.postings.leaves)
    for q in QUERIES:
        pq = parse_query(q)
        plan = keyword_query.build(pq, index=bulk_view, combine="or")
        ours = bulk_view.execute(plan)
        theirs = {h.docnum: h.score for h in bulk_view.searcher.search(keyword_query.to_whoosh(plan), limit=None)}
        assert ours.ids.tolist() == sorted(theirs), q
        if not any(isinstance(o, keyword_query.Phrase) for c in plan.clauses for o in c.options) and not plan.references:
            assert np.allclose(ours.scores, [theirs[i] for i in ours.ids.tolist()], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("bulk_min_df", [None, 1])
def test_deleted_and_replaced_documents_are_left_out_like_whoosh_does(tmp_path, monkeypatch, bulk_min_df):
    from corpora.folder import FolderReader
    from corpora.settings import Settings
    from indexer.ingest import ingest
    from tests.conftest import FIXTURES

    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(6):
        (folder / f"d{i}.txt").write_text(f"Der Rat berät den Haushalt {i}. Die Feuerwehr meldet Bedarf.",
                                          encoding="utf-8")
    from indexer import postings

    if bulk_min_df is not None:
        monkeypatch.setattr(postings, "BULK_MIN_DF", bulk_min_df)
    settings = Settings.load({}, data_dir=str(tmp_path / "data"), embeddings=False, ner=False)
    ingest([FolderReader(folder)], settings, quiet=True)
    (folder / "d1.txt").unlink()
    (folder / "d2.txt").write_text("Nur noch die Feuerwehr.", encoding="utf-8")
    ingest([FolderReader(folder)], settings, quiet=True)
    view = KeywordSearcher(KeywordIndex(settings.keyword_index_dir)).view()
    assert view.searcher.reader().has_deletions()
    for q in ("Haushalt", "Feuerwehr", "Rat Haushalt"):
        plan = keyword_query.build(parse_query(q), index=view)
        ours = view.execute(plan)
        theirs = {h.docnum: h.score for h in view.searcher.search(keyword_query.to_whoosh(plan), limit=None)}
        assert ours.ids.tolist() == sorted(theirs), q
        assert np.allclose(ours.scores, [theirs[i] for i in ours.ids.tolist()], rtol=1e-5, atol=1e-6)
    assert len(view.execute(keyword_query.build(parse_query("Haushalt"), index=view))) == 4
    # one folder of decoded lists per live segment, none for merged-away ones
    segments = {leaf.segid for leaf in view.postings.leaves}
    assert {p.name for p in (settings.keyword_index_dir / postings.BULK_DIR).iterdir()} == segments
    if bulk_min_df is not None:
        assert all(leaf.bulk is not None for leaf in view.postings.leaves)
