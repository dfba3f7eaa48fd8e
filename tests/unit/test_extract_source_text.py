"""Source texts (OParl File.text, TXT) cleaned like extracted text."""

from corpora.model import Page
from indexer.extract.source_text import clean_source_pages


def test_running_lines_page_numbers_and_hyphens():
    pages = [Page(n, f"Gemeinde Musterstadt – Niederschrift Rat\n- {n} -\nDie Aus-\nschussmitglieder beraten"
                     f" Punkt {n}.\nSeite {n} von 4") for n in range(1, 5)]
    cleaned = clean_source_pages(pages)
    assert [p.text for p in cleaned] == [f"Die Ausschussmitglieder beraten Punkt {n}." for n in range(1, 5)]


def test_short_documents_keep_their_lines_but_lose_decorated_page_numbers():
    cleaned = clean_source_pages([Page(1, "Bekanntmachung\u00a0 der  Sitzung\n- 1 -\nNord- und Südstadt")])
    assert cleaned == [Page(1, "Bekanntmachung der Sitzung\nNord- und Südstadt")]
