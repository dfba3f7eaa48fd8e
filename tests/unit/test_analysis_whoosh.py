"""The Whoosh analyzers: positions of parts, query mode, highlight spans, and a tiny real index."""

from __future__ import annotations

import pickle

from whoosh import query as Q
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.qparser import OrGroup, QueryParser

from indexer.analysis import (
    AnalysisConfig,
    expand_word,
    highlight_terms,
    index_analyzer,
    query_analyzer,
    query_words,
)

# real sentences from the council texts (OParl File ids)
DOCS = {
    # Nordstemmen 1-19318
    "nordstemmen/1-19318": "Herr Cieplik stellt den Ablauf des Projektes Feuerwehrgerätehaus Mahlerten vor",
    # Karlsruhe 503715
    "karlsruhe/503715": "Laut Auskunft des TBA wird die Radwegeverbindung Durlach Hagsfeld wegen",
    # Karlsruhe 604272
    "karlsruhe/604272": (
        "Ergänzend zum Stufenplan für die Absenkung der Kitagebühren in Karlsruhe und dem Umsetzungs-\nplan"
    ),
    # Karlsruhe 624618
    "karlsruhe/624618": "Beschluss zur Fortsetzung des Bebauungsplanverfahrens mit der öffentlichen Auslegung des",
    # Karlsruhe 27515
    "karlsruhe/27515": "den vor allem auf Büro- und Verwaltungsgebäude beschränkt, um die beabsichtigte Umfeld-",
    # Nordstemmen 1-252
    "nordstemmen/1-252": "im Sitzungszimmer des Feuerwehrgerätehauses, Dorfstraße 19, statt",
}


def terms_with_positions(text: str) -> list[tuple[str, int]]:
    return [(t.text, t.pos) for t in index_analyzer()(text, positions=True, mode="index")]


def test_parts_share_the_position_of_their_compound() -> None:
    assert terms_with_positions("Projekt Feuerwehrgerätehaus Mahlerten vor") == [
        ("projekt", 0),
        ("feuerwehrgeratehaus", 1), ("feuerwehr", 1), ("gerat", 1), ("haus", 1), ("geratehaus", 1),
        ("mahlert", 2),
    ]  # "vor" is a stop word


def test_stop_words_take_no_position_and_query_mode_gives_primary_terms_only() -> None:
    text = "die Absenkung der Kitagebühren in Karlsruhe"
    assert terms_with_positions(text) == [
        ("absenk", 0), ("kitagebuhr", 1), ("kita", 1), ("gebuhr", 1), ("karlsruh", 2),
    ]
    assert [t.text for t in index_analyzer()(text, mode="query")] == ["absenk", "kitagebuhr", "karlsruh"]
    assert [t.text for t in query_analyzer()(text, mode="index")] == ["absenk", "kitagebuhr", "karlsruh"]


def test_stop_words_come_back_marked_when_asked_for() -> None:
    tokens = [(t.text, t.stopped) for t in index_analyzer()("die Kitagebühren", removestops=False)]
    assert tokens == [("die", True), ("kitagebuhr", False), ("kita", False), ("gebuhr", False)]


def test_character_spans_cover_the_original_word() -> None:
    text = DOCS["karlsruhe/604272"]
    spans = [(t.text, t.startchar, t.endchar) for t in index_analyzer()(text, chars=True)]
    start = text.index("Kitagebühren")
    assert [s for s in spans if s[1] == start] == [
        ("kitagebuhr", start, start + 12), ("kita", start, start + 12), ("gebuhr", start, start + 12),
    ]
    start = text.index("Umsetzungs-")
    assert [s for s in spans if s[1] == start][0] == ("umsetzungsplan", start, start + len("Umsetzungs-\nplan"))


def test_highlight_terms() -> None:
    text = "Das Feuerwehrgerätehaus der Stadt"
    assert highlight_terms(text) == [
        (4, 23, "feuerwehrgeratehaus"), (4, 23, "feuerwehr"), (4, 23, "gerat"), (4, 23, "haus"),
        (4, 23, "geratehaus"), (28, 33, "stadt"),
    ]
    assert text[4:23] == "Feuerwehrgerätehaus"


def test_expand_word() -> None:
    assert expand_word("Kitagebühren") == (("kitagebuhr",), ("kita", "gebuhr"))
    assert expand_word("Kita") == (("kita",), ("kindertagesstatt",), ("kindertageseinricht",), ("kindergart",))
    assert expand_word("Radweg")[0] == ("radweg",)
    assert expand_word("ÖPNV") == (("opnv",), ("nahverkehr",), ("personennahverkehr",), ("offent", "nahverkehr"))
    # the group's "Bebauungsplanung" stems like "Bebauungsplan": one alternative
    assert expand_word("B-Plan") == (("bplan",), ("bebauungsplan",))
    assert expand_word("Nord-Süd-Achse") == (("nordsudachs",), ("nord", "sud", "achs"))
    assert expand_word("der") == ()
    assert expand_word("26/2022") == (("26/2022",),)
    assert expand_word("DS 26/2022") == (("ds", "26/2022"),)


def test_query_words() -> None:
    assert query_words("Kita Gebühren in der DS 26/2022 nach § 10 BauGB") == [
        "Kita", "Gebühren", "DS", "26/2022", "§ 10", "BauGB",
    ]


def _index(config: AnalysisConfig = AnalysisConfig()):
    schema = Schema(id=ID(stored=True, unique=True), body=TEXT(analyzer=index_analyzer(config)))
    ix = RamStorage().create_index(schema)
    with ix.writer() as w:
        for doc_id, text in DOCS.items():
            w.add_document(id=doc_id, body=text)
    return ix


def _search(ix, q) -> list[str]:
    with ix.searcher() as s:
        return sorted(hit["id"] for hit in s.search(q, limit=None))


def _expanded(query: str):
    """All-words query built from :func:`expand_word`, as the keyword searcher builds it."""
    words = []
    for word in query_words(query):
        alts = [Q.And([Q.Term("body", t) for t in alt]) if len(alt) > 1 else Q.Term("body", alt[0])
                for alt in expand_word(word)]
        words.append(Q.Or(alts))
    return Q.And(words)


def test_round_trip_in_a_ram_index() -> None:
    ix = _index()
    parser = QueryParser("body", ix.schema, group=OrGroup)
    # decompounding: the compound is found by its first part, also in its genitive
    assert _search(ix, parser.parse("Feuerwehr")) == ["nordstemmen/1-19318", "nordstemmen/1-252"]
    assert _search(ix, parser.parse("Radweg")) == ["karlsruhe/503715"]
    assert _search(ix, parser.parse("Bebauungsplan")) == ["karlsruhe/624618"]
    assert _search(ix, parser.parse("Gebäude")) == ["karlsruhe/27515"]
    # folding: "Strasse" finds "Dorfstraße" through its part "straße"
    assert _search(ix, parser.parse("Strasse")) == ["nordstemmen/1-252"]
    # a phrase across a compound part and the next word
    assert _search(ix, parser.parse('"Feuerwehr Mahlerten"')) == ["nordstemmen/1-19318"]
    # "Kita Gebühren" written apart finds "Kitagebühren"; the compound query finds it too
    assert _search(ix, _expanded("Kita Gebühren")) == ["karlsruhe/604272"]
    assert _search(ix, _expanded("Kitagebühren")) == ["karlsruhe/604272"]
    # a word broken at the line end is found whole
    assert _search(ix, parser.parse("Umsetzungsplan")) == ["karlsruhe/604272"]


def test_without_decompounding_the_part_does_not_find_the_compound() -> None:
    ix = _index(AnalysisConfig(decompound=False))
    parser = QueryParser("body", ix.schema)
    assert _search(ix, parser.parse("Feuerwehr")) == []


def test_analyzer_pickles_as_its_config() -> None:
    analyzer = index_analyzer(AnalysisConfig(part_boost=0.5))
    copy = pickle.loads(pickle.dumps(analyzer))
    assert copy == analyzer and copy is not analyzer
    assert [t.text for t in copy("Kitagebühren")] == ["kitagebuhr", "kita", "gebuhr"]
    assert [t.boost for t in copy("Kitagebühren")] == [1.0, 0.5, 0.5]
