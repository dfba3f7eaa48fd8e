"""Source texts (OParl File.text, TXT) cleaned like extracted text."""

from corpora.model import Page
from indexer.extract.source_text import clean_source_pages


def test_running_lines_page_numbers_and_hyphens():
    topics = ["den Haushalt", "die Feuerwehr", "den Radweg", "die Schule"]
    body = ("Die Aus-\nschussmitglieder beraten über {t}.\nHerr Meier erläutert die Vorlage ausführlich.\n"
            "Frau Schulz fragt nach den Kosten für {t}.\nDer Ausschuss empfiehlt, {t} zu beschließen.")
    pages = [Page(n, f"Gemeinde Musterstadt – Niederschrift Rat vom 3.{n}.2023\n- {n} -\n{body.format(t=t)}\n"
                     f"Seite {n} von 4") for n, t in enumerate(topics, 1)]
    cleaned = clean_source_pages(pages)
    assert [p.text for p in cleaned] == [
        f"Die Ausschussmitglieder beraten über {t}.\nHerr Meier erläutert die Vorlage ausführlich.\n"
        f"Frau Schulz fragt nach den Kosten für {t}.\nDer Ausschuss empfiehlt, {t} zu beschließen." for t in topics]


def test_short_documents_keep_their_lines_but_lose_decorated_page_numbers():
    cleaned = clean_source_pages([Page(1, "Bekanntmachung\u00a0 der  Sitzung\n- 1 -\nNord- und Südstadt")])
    assert cleaned == [Page(1, "Bekanntmachung der Sitzung\nNord- und Südstadt")]
