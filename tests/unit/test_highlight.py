from search_api.highlight import highlight, match_spans, query_terms


def test_compounds_stems_and_folding_are_marked():
    text = "Das Feuerwehrgerätehaus in Mahlerten; die Feuerwehren der Straße."
    terms = query_terms(["Feuerwehr", "Strasse"])
    marked = [text[a:b] for a, b in match_spans(text, terms)]
    assert marked == ["Feuerwehrgerätehaus", "Feuerwehren", "Straße"]


def test_html_in_text_is_escaped_and_only_marks_are_inserted():
    html = highlight('<script>alert("x")</script> Kita-Gebühren steigen', query_terms(["Kita"]))
    assert html.startswith("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;")
    assert "<mark>Kita-Gebühren</mark>" in html or "<mark>Kita</mark>" in html


def test_long_text_is_cut_around_the_matches():
    text = "Vorwort. " * 100 + "Hier geht es um den Bebauungsplan Nr. 12. " + "Nachwort. " * 100
    html = highlight(text, query_terms(["Bebauungsplan"]), size=120)
    assert html.startswith("…") and html.endswith("…") and "<mark>Bebauungsplan</mark>" in html
