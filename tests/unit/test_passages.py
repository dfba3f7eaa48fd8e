from corpora.model import Page
from indexer.passages import estimate_tokens, make_passages
from nlp.annotations import Speaker

MINUTES = (
    "Protokoll der Sitzung des Rates\n\nEs sind anwesend: Herr Kai Dräger, Vorsitzender\n\n"
    "Zu Punkt 1: Eröffnung der Sitzung\nDer Vorsitzende eröffnet die Sitzung um 18:30 Uhr.\n\n"
    "Zu Punkt 2: Beschaffung eines Löschfahrzeugs (DS 40/2023)\n"
    "Herr Cieplik (SPD): Die Ortsfeuerwehr braucht das Fahrzeug dringend.\n"
    "Frau Krieger (CDU): Wir stimmen zu.\n"
)


def test_offsets_are_exact_and_cuts_follow_agenda_items_and_turns():
    page = Page(1, MINUTES)
    passages = make_passages([page], min_tokens=0)
    assert all(page.text[p.start:p.end] == p.text for p in passages)
    assert [(p.heading, p.speaker, p.text.split("\n")[0]) for p in passages] == [
        (None, None, "Protokoll der Sitzung des Rates"),
        ("Zu Punkt 1: Eröffnung der Sitzung", None, "Zu Punkt 1: Eröffnung der Sitzung"),
        ("Zu Punkt 2: Beschaffung eines Löschfahrzeugs (DS 40/2023)", None,
         "Zu Punkt 2: Beschaffung eines Löschfahrzeugs (DS 40/2023)"),
        ("Zu Punkt 2: Beschaffung eines Löschfahrzeugs (DS 40/2023)", "Herr Cieplik (SPD)",
         "Herr Cieplik (SPD): Die Ortsfeuerwehr braucht das Fahrzeug dringend."),
        ("Zu Punkt 2: Beschaffung eines Löschfahrzeugs (DS 40/2023)", "Frau Krieger (CDU)", "Frau Krieger (CDU): Wir stimmen zu."),
    ]


def test_speakers_from_ner_set_the_turns():
    text = "Lino Hammer: Danke.\nJörg Detjen: Bitte."
    speakers = [Speaker("Lino Hammer", "GRÜNE", "speaker", 1, 0, 11),
                Speaker("Jörg Detjen", "LINKE", "speaker", 1, 20, 31)]
    passages = make_passages([Page(1, text)], speakers=speakers, min_tokens=0)
    assert [(p.speaker, p.text) for p in passages] == [("Lino Hammer (GRÜNE)", "Lino Hammer: Danke."),
                                                      ("Jörg Detjen (LINKE)", "Jörg Detjen: Bitte.")]


def test_long_paragraphs_are_cut_at_sentences_and_words_within_the_budget():
    sentence = "Der Gemeinderat beschließt die Sanierung der Grundschule am Mühlbach im Jahr 2025. "
    page = Page(3, sentence * 40 + " ".join(["Wort"] * 500))
    passages = make_passages([page], max_tokens=60)
    assert len(passages) > 10
    assert all(p.tokens <= 60 and estimate_tokens(p.text) <= 60 for p in passages)
    assert all(p.page == 3 and page.text[p.start:p.end] == p.text for p in passages)
    # nothing lost: the passages cover every word in order
    assert " ".join(p.text for p in passages).split() == page.text.split()


def test_passages_never_cross_pages_and_small_paragraphs_are_packed():
    pages = [Page(1, "Erster Absatz.\n\nZweiter Absatz."), Page(2, "Dritter Absatz.")]
    passages = make_passages(pages)
    assert [(p.page, p.text) for p in passages] == [(1, "Erster Absatz.\n\nZweiter Absatz."), (2, "Dritter Absatz.")]


def test_a_turn_starts_with_the_title_before_the_speaker_name():
    text = "Vorher gesagt.\nOberbürgermeisterin Henriette Reker: Meine Damen und Herren.\nDanach."
    speakers = [Speaker("Henriette Reker", None, "chair", 1, text.index("Henriette"), text.index(":"))]
    passages = make_passages([Page(1, text)], speakers=speakers, min_tokens=0)
    assert [p.text.split("\n")[0] for p in passages] == ["Vorher gesagt.",
                                                        "Oberbürgermeisterin Henriette Reker: Meine Damen und Herren."]
