"""Query building: bounded expansion of prefix and fuzzy words."""

from indexer import keyword_query
from indexer.query import parse_query


class FakeIndex:
    """A term source over a fixed vocabulary (the real one is a Whoosh reader view)."""

    def __init__(self, terms):
        self.terms = terms
        self.calls = []

    def term_exists(self, field, term):
        return term in self.terms

    def expand_prefix(self, field, prefix, limit):
        self.calls.append(("prefix", prefix, limit))
        return [t for t in self.terms if t.startswith(prefix)][:limit]

    def fuzzy_terms(self, field, term, maxdist, limit):
        self.calls.append(("fuzzy", term, maxdist, limit))
        return [t for t in self.terms if t != term and t[:1] == term[:1]][:limit]


def terms_of(q):
    return sorted({t for _, t in q.all_terms()})


def test_prefix_words_expand_to_a_bounded_number_of_terms():
    index = FakeIndex([f"schul{i:03d}" for i in range(500)])
    q = keyword_query.build(parse_query("schul*"), index=index)
    assert len(terms_of(q)) == keyword_query.MAX_EXPANSION_TERMS
    assert index.calls == [("prefix", "schul", keyword_query.MAX_EXPANSION_TERMS)]


def test_only_the_first_expansive_words_expand():
    index = FakeIndex(["bau", "bauen", "ver", "verkehr", "rat", "rathaus", "ge", "gebuhr"])
    keyword_query.build(parse_query("bau* ver* rat* ge*"), index=index)
    assert len(index.calls) == keyword_query.MAX_EXPANSIVE_WORDS


def test_words_missing_from_the_index_are_matched_fuzzily_with_a_distance_from_the_typed_word():
    index = FakeIndex(["feuerwehr", "feuer"])
    q = keyword_query.build(parse_query("Feuerwher"), index=index)
    assert index.calls[0][0] == "fuzzy" and index.calls[0][2] == 2
    assert "feuerwehr" in terms_of(q)
    index = FakeIndex(["feuerwehr"])
    keyword_query.build(parse_query("Feuerwehr"), index=index)
    assert index.calls == []  # present words are not expanded
