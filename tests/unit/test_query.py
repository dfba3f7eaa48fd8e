from indexer.query import Clause, parse_query


def test_plain_words_phrases_exclusions_or_and_filters():
    pq = parse_query('Kita Gebühren "Satzung über die Benutzung" -Krippe Schule OR Hort partei:SPD '
                     'gremium:"Rat der Stadt Köln" jahr:2023')
    assert pq.clauses == (Clause("Kita"), Clause("Gebühren"), Clause("Satzung über die Benutzung", phrase=True),
                          Clause("Schule", alternatives=(Clause("Hort"),)))
    assert pq.excluded == (Clause("Krippe"),)
    assert pq.filters == {"party": ("SPD",), "organization": ("Rat der Stadt Köln",), "year": ("2023",)}


def test_references_are_found():
    assert parse_query("DS 26/2022").references == ("26/2022",)
    assert parse_query("Vorlage Nr. 2019/0294 Forstreform").references == ("2019/0294",)
    assert parse_query("Drucksache 40/2023 und 2013/0140").references == ("40/2023", "2013/0140")


def test_fuzzy_and_prefix():
    pq = parse_query("Feuerwher~ Radweg* ab*")
    assert pq.clauses == (Clause("Feuerwher", fuzzy=True), Clause("Radweg", prefix=True), Clause("ab"))


def test_malformed_queries_degrade_to_words():
    assert parse_query('"unbalanced quote Bebauungsplan').clauses == (
        Clause("unbalanced"), Clause("quote"), Clause("Bebauungsplan"))
    # an OR with nothing before it is the word (Karlsruhe abbreviates Ortschaftsrat as "OR")
    assert parse_query("OR OR -  -- :: (( ~~ **").clauses == (Clause("OR"),)
    assert parse_query("farbe:blau Haus").clauses == (Clause("farbe"), Clause("blau"), Clause("Haus"))
    assert parse_query("").empty and parse_query("   ").empty
    assert parse_query("NOT AND Haus").clauses == (Clause("Haus"),)


def test_punctuation_around_words_is_dropped_but_references_kept():
    assert [c.text for c in parse_query("(Kita), „Gebühren“? § 10 BauGB 45/2023.").clauses] == [
        "Kita", "Gebühren", "10", "BauGB", "45/2023"]
