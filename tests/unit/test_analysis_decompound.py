"""Decompounding with real compounds of the council corpus, each split checked by hand.

Every word below occurs in the Karlsruhe/Nordstemmen texts or paper titles (its lexicon count is
asserted to be positive). The expected split is in lexicon forms (folded, linking morphemes removed);
it is compared after stemming, because the index holds stems (``spiel`` and ``spielen`` are one).
"""

from __future__ import annotations

import pytest

from indexer.analysis.analyzer import term_maker
from indexer.analysis.folding import fold
from indexer.analysis.lexicon import load_lexicon

SPLITS: dict[str, tuple[str, ...]] = {
    # the cases of the issue
    "Feuerwehrgerätehaus": ("feuerwehr", "gerate", "haus"),
    "Radwegeverbindung": ("rad", "weg", "verbindung"),  # linking -e-
    "Kitagebühren": ("kita", "gebuhren"),
    "Bebauungsplanverfahren": ("bebauungsplan", "verfahren"),
    "Verwaltungsgebäude": ("verwaltung", "gebaude"),  # linking -s-
    # linking -s-, -es-, -n-, -e-, elision
    "Gemeinderatssitzung": ("gemeinderat", "sitzung"),
    "Verwaltungsausschuss": ("verwaltung", "ausschuss"),
    "Haushaltsjahr": ("haushalt", "jahr"),
    "Tagesordnungspunkt": ("tagesordnung", "punkt"),
    "Satzungsbeschluss": ("satzung", "beschluss"),
    "Aufstellungsbeschluss": ("aufstellung", "beschluss"),
    "Jahresabschluss": ("jahr", "abschluss"),  # -es-
    "Straßenbeleuchtung": ("strasse", "beleuchtung"),  # -n-
    "Grundstückseigentümer": ("grundstuck", "eigentumer"),
    "Schulweg": ("schule", "weg"),  # elided -e
    "Hilfsmittel": ("hilfe", "mittel"),  # -s- after elided -e
    "Schwimmbad": ("schwimmen", "bad"),  # verb stem
    "Wohnbaufläche": ("wohnen", "bau", "flache"),
    # plain juxtaposition
    "Stadtverwaltung": ("stadt", "verwaltung"),
    "Beschlussvorlage": ("beschluss", "vorlage"),
    "Abwasserbeseitigung": ("abwasser", "beseitigung"),
    "Stadtplanungsamt": ("stadt", "planung", "amt"),
    "Hauptsatzung": ("haupt", "satzung"),
    "Ortsbürgermeister": ("ort", "burgermeister"),
    "Ratsfraktion": ("rat", "fraktion"),
    "Kinderspielplatz": ("kinder", "spielplatz"),
    "Spielplatz": ("spiel", "platz"),
    "Sportplatz": ("sport", "platz"),
    "Parkplatz": ("park", "platz"),
    "Feuerwehrhaus": ("feuerwehr", "haus"),
    "Radverkehr": ("rad", "verkehr"),
    "Neubaugebiet": ("neu", "bau", "gebiet"),
    "Klimaschutzkonzept": ("klimaschutz", "konzept"),
    "Einwohnerfragestunde": ("einwohner", "fragestunde"),
    "Gewerbegebiet": ("gewerbe", "gebiet"),
    "Sporthalle": ("sport", "halle"),
    "Nahverkehrsplan": ("nah", "verkehr", "plan"),
    "Kindergartengebühren": ("kinder", "garten", "gebuhren"),
    "Gemeinderat": ("gemeinde", "rat"),
    "Rheinhafen": ("rhein", "hafen"),
    "Straßenbahn": ("strasse", "bahn"),
    "Elternbeiträge": ("eltern", "beitrage"),
    "Grundschule": ("grund", "schule"),
    "Sanierungsgebiet": ("sanierung", "gebiet"),
    "Lärmschutzwand": ("larm", "schutz", "wand"),
    "Bürgerbeteiligung": ("burger", "beteiligung"),
}

# words that must stay whole: names, lexicalised words, prefix and particle verbs' nouns
WHOLE = [
    "Bürgermeister",  # more frequent (2,006) than Bürger+Meister suggest; "Bürger" must not find it
    "Oberbürgermeister",  # an office of its own
    "Kindertagesstätte",  # more frequent than its parts; "Kita" synonyms reach it
    "Karlsruhe",
    "Nordstemmen",
    "Hildesheim",
    "Wolfartsweier",
    "Rössing",  # a Nordstemmen Ortsteil, not Rose + Ing
    "Burgstemmen",
    "Hallerburg",
    "Unternehmen",  # not unter + nehmen
    "Vorlage",  # not vor + Lage
    "Beratung",
    "Verwaltung",
    "Gesellschaft",
    "Niederschrift",
    "Tagesordnung",
    "Haushalt",
    "Feststellung",
    "Stellungnahme",
    "Zusammenhang",
    "beispielsweise",
    "voraussichtlich",
    "festgestellt",
]


@pytest.mark.parametrize(("word", "parts"), SPLITS.items())
def test_real_compounds_split_as_checked_by_hand(word: str, parts: tuple[str, ...]) -> None:
    folded = fold(word)
    assert load_lexicon().count(folded) > 0, f"{word} is not in the corpus"
    maker = term_maker()
    split = maker.decompounder.split(folded)
    assert [maker.stemmer.stem(p) for p in split] == [maker.stemmer.stem(p) for p in parts], split


@pytest.mark.parametrize("word", WHOLE)
def test_words_that_stay_whole(word: str) -> None:
    assert term_maker().decompounder.split(fold(word)) == ()


def test_split_words_are_found_by_their_leading_compound() -> None:
    """The index holds the runs of parts that are words: *Feuerwehr* in feuer|wehr|geräte|haus."""
    maker = term_maker()
    assert "feuerwehr" in maker.word("Feuerwehrgerätehaus").extras
    assert "radweg" in maker.word("Radwegeverbindung").extras
    assert "kindergart" in maker.word("Kindergartengebühren").extras
    assert "nahverkehr" in maker.word("Nahverkehrsplan").extras
    assert maker.word("Bebauungsplanverfahren").extras == ("bebauungsplan", "verfahr")


def test_the_pieces_keep_the_linking_morphemes() -> None:
    d = term_maker().decompounder
    assert d.pieces("verwaltungsgebaude") == ("verwaltungs", "gebaude")
    assert d.pieces("radwegeverbindung") == ("rad", "wege", "verbindung")
