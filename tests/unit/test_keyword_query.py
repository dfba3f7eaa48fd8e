"""Query building: bounded expansion of prefix and fuzzy words."""

from indexer import keyword_query
from indexer.query import parse_query


class FakeIndex:
    """A term source over a fixed vocabulary (the real one is a Whoosh reader view)."""

    def __init__(self, terms, df=None):
        self.terms = terms
        self.df = df or {}
        self.calls = []

    def term_exists(self, field, term):
        return term in self.terms

    def doc_frequency(self, field, term):
        return self.df.get(term, 1 if term in self.terms else 0)

    def expand_prefix(self, field, prefix, limit):
        self.calls.append(("prefix", prefix, limit))
        return [t for t in self.terms if t.startswith(prefix)][:limit]

    def fuzzy_terms(self, field, term, maxdist, limit):
        self.calls.append(("fuzzy", term, maxdist, limit))
        return [t for t in self.terms if t != term and t[:1] == term[:1]][:limit]


def terms_of(plan):
    return sorted({t for c in plan.clauses for o in c.options for t in o.terms})


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


def test_a_common_compound_is_not_also_looked_up_by_its_parts():
    rare = keyword_query.build(parse_query("Kitagebühren"), index=FakeIndex(["kitagebuhr", "kita", "gebuhr"]))
    assert [o.terms for o in rare.clauses[0].options] == [("kitagebuhr",), ("kita", "gebuhr")]
    common = keyword_query.build(parse_query("Kitagebühren"),
                                 index=FakeIndex(["kitagebuhr", "kita", "gebuhr"], df={"kitagebuhr": 500}))
    assert [o.terms for o in common.clauses[0].options] == [("kitagebuhr",)]


def test_plans_become_whoosh_queries():
    plan = keyword_query.build(parse_query('"Feuerwehr Mahlerten" Haus -Garage DS 40/2023'),
                               index=FakeIndex(["feuerwehr", "mahlert", "haus", "garag"]))
    q = keyword_query.to_whoosh(plan)
    text = repr(q)
    assert "Phrase" in text and "refs" in text and "AndNot" in text
