"""De-hyphenation at line ends (indexer.extract.hyphenation)."""

import pytest

from indexer.extract.hyphenation import dehyphenate, is_line_end_hyphen, join_hyphenated, vocabulary_of


@pytest.mark.parametrize("left, right, joined", [
    ("den Um-", "bau der Halle", "den Umbau der Halle"),
    ("die Ver-", "waltung berichtet", "die Verwaltung berichtet"),
    ("Frau Oberbürgermeiste-", "rin! Meine Damen", "Frau Oberbürgermeisterin! Meine Damen"),
    # Ergänzungsstrich: the hyphen stands for a word part that follows later
    ("in der Nord-", "und Südstadt", "in der Nord- und Südstadt"),
    ("Fuß-", "oder Radweg", "Fuß- oder Radweg"),
    ("Ein-", "bzw. Ausfahrt", "Ein- bzw. Ausfahrt"),
    # capitalised continuation: a real compound broken at its hyphen
    ("die Rhein-", "Energie AG", "die Rhein-Energie AG"),
    ("die CDU-", "Fraktion", "die CDU-Fraktion"),
    ("im Bebauungsplan-", "Verfahren", "im Bebauungsplan-Verfahren"),
    # an acronym or a number before the hyphen keeps it
    ("eine CDU-", "nahe Stiftung", "eine CDU-nahe Stiftung"),
    ("der 30-", "jährige Vertrag", "der 30-jährige Vertrag"),
    # a soft hyphen always marks a broken word
    ("Haushalts\u00ad", "satzung der Gemeinde", "Haushaltssatzung der Gemeinde"),
])
def test_join_hyphenated(left, right, joined):
    assert join_hyphenated(left, right) == joined


@pytest.mark.parametrize("left, right, vocabulary, joined", [
    # "bis", "und" … after a hyphen: an Ergänzungsstrich, unless the document spells the whole word
    ("Canna-", "bis legalisieren", {"cannabis"}, "Cannabis legalisieren"),
    ("Canna-", "bis legalisieren", set(), "Canna- bis legalisieren"),
    ("Kinder-", "bis Jugendalter", {"kinder", "jugendalter"}, "Kinder- bis Jugendalter"),
    ("sowohl Kinder-", "als auch Jugendhilfe", set(), "sowohl Kinder- als auch Jugendhilfe"),
    # words that merely look like conjunctions are joined
    ("so-", "wie der Rat", set(), "sowie der Rat"),
    ("Den-", "noch bleibt", set(), "Dennoch bleibt"),
    ("irgend-", "wie", set(), "irgendwie"),
    # an all-caps word broken at the line end, spelt whole elsewhere in the document
    ("Die PAR-", "TEI, KLIMA FREUNDE", {"partei"}, "Die PARTEI, KLIMA FREUNDE"),
    ("Die PAR-", "TEI, KLIMA FREUNDE", set(), "Die PAR-TEI, KLIMA FREUNDE"),
    ("die CDU-", "SPD-Koalition", {"cdu", "spd"}, "die CDU-SPD-Koalition"),
])
def test_join_hyphenated_with_the_documents_vocabulary(left, right, vocabulary, joined):
    assert join_hyphenated(left, right, frozenset(vocabulary)) == joined


def test_vocabulary_of():
    assert vocabulary_of(["Der Um-", "bau 2024: Cannabis, CDU-Fraktion"]) == frozenset(
        {"der", "um", "bau", "cannabis", "cdu", "fraktion"})


@pytest.mark.parametrize("left", ["Gibt es Wortmeldungen? -", "ohne Bindestrich", "nur --", ""])
def test_no_word_breaking_hyphen(left):
    assert join_hyphenated(left, "Danke.") is None


def test_is_line_end_hyphen():
    assert is_line_end_hyphen("Tagesordnungs-")
    assert not is_line_end_hyphen("gibt. -")
    assert not is_line_end_hyphen("-")


def test_dehyphenate_moves_the_rest_of_the_line_up_and_keeps_other_breaks():
    text = ("Der Um-\nbau der Halle\nbeginnt 2025.\n\nDie CDU-\nFraktion und die Nord-\nund Südstadt-\n\n"
            "Ende. Cannabis oder Canna-\nbis?")
    assert dehyphenate(text) == (
        "Der Umbau der Halle\nbeginnt 2025.\n\nDie CDU-Fraktion und die Nord- und Südstadt-\n\n"
        "Ende. Cannabis oder Cannabis?"
    )
