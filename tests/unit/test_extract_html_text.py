"""HTML, plain text and the choice of extractor (indexer.extract.html_text, plain_text, dispatch)."""

import pytest

from indexer.extract import ExtractionError, extract_file, extract_html, extract_text_file
from indexer.extract.dispatch import file_kind
from indexer.extract.html_text import decode_html, html_to_text

ALLRIS_LIKE = """<!DOCTYPE html><html><head><title>Auszug</title>
<style>.x { color: red }</style><script>var t = "<p>kein Text</p>";</script></head>
<body><nav><a href="/">Startseite</a> | <a href="/si">Sitzungen</a></nav>
<h1>Auszug - Kreistag &amp; Ausschüsse</h1>
<table><tr><th>Sitzung:</th><td>Kreistag</td></tr>
<tr><td>TOP:</td><td>Ö&nbsp;5</td></tr></table>
<p>Der Kreistag beschließt die<br>Resolution zur &bdquo;Krankenhausreform&ldquo;.</p>
<div hidden>versteckt</div><div style="display: none">auch versteckt</div>
<ul><li>Ja: 40</li><li>Nein: 3</li></ul>
<p>Herr M&uuml;nzberger (FDP) erl&auml;utert &#8230; den Antrag.</p>
<noscript>Bitte JavaScript einschalten</noscript>
</body></html>"""


def test_visible_text_with_paragraphs_lines_and_entities():
    assert html_to_text(ALLRIS_LIKE) == (
        "Auszug - Kreistag & Ausschüsse\n\n"
        "Sitzung: Kreistag\nTOP: Ö 5\n\n"
        "Der Kreistag beschließt die\nResolution zur „Krankenhausreform“.\n\n"
        "Ja: 40\nNein: 3\n\n"
        "Herr Münzberger (FDP) erläutert … den Antrag."
    )


def test_pre_keeps_its_lines_and_self_closing_tags_do_not_swallow_text():
    markup = "<p>Vor<br/>her</p><svg/><pre>Zeile 1\n  Zeile 2</pre><p>Nach<img src=x alt='Lageplan'/>her</p>"
    assert html_to_text(markup) == "Vor\nher\n\nZeile 1\nZeile 2\n\nNach Lageplan her"


def test_decode_html_uses_bom_declared_meta_then_utf8_then_cp1252():
    assert decode_html("<p>Straße</p>".encode("utf-8")) == "<p>Straße</p>"
    assert decode_html("<p>Straße</p>".encode("cp1252")) == "<p>Straße</p>"
    latin = '<meta charset="iso-8859-1"><p>Gebühr</p>'.encode("latin-1")
    assert decode_html(latin).endswith("<p>Gebühr</p>")
    assert decode_html("Gebühr".encode("latin-1"), "iso-8859-1") == "Gebühr"
    assert decode_html(b"\xef\xbb\xbf<p>\xc3\xa4</p>") == "<p>ä</p>"


def test_extract_html_file(tmp_path):
    path = tmp_path / "auszug.html"
    path.write_bytes(ALLRIS_LIKE.encode("cp1252"))
    extraction = extract_html(path)
    assert extraction.text_source == "html"
    assert [p.number for p in extraction.pages] == [1]
    assert extraction.pages[0].text.startswith("Auszug - Kreistag & Ausschüsse\n\nSitzung: Kreistag")


def test_text_file_pages_encoding_and_hyphenation(tmp_path):
    path = tmp_path / "niederschrift.txt"
    path.write_bytes("Die Ver-\nwaltung berichtet über den Um-\nbau.\f\fSeite  drei\n\f".encode("cp1252"))
    extraction = extract_text_file(path)
    assert [(p.number, p.text) for p in extraction.pages] == [
        (1, "Die Verwaltung berichtet über den Umbau."), (2, ""), (3, "Seite drei")]
    assert extraction.text_source == "txt"
    assert extraction.warnings == ("decoded as cp1252",)


def test_text_file_latin1_fallback_for_bytes_cp1252_does_not_define(tmp_path):
    path = tmp_path / "alt.txt"
    path.write_bytes(b"Gr\xfc\xdfe \x81")
    assert extract_text_file(path).pages[0].text == "Grüße"  # U+0081 is a control character: dropped


@pytest.mark.parametrize("name, mime, content, kind", [
    ("a.pdf", "application/pdf", b"%PDF-1.4", ("pdf", None)),
    ("a.bin", "PDF", b"", ("pdf", None)),                      # a vendor quirk: "PDF" as mime type
    ("a.bin", "text/html; charset=ISO-8859-1", b"", ("html", "ISO-8859-1")),
    ("a.HTM", None, b"", ("html", None)),
    ("a.txt", "application/octet-stream", b"", ("txt", None)),
    ("download", None, b"   %PDF-1.7\n", ("pdf", None)),      # sniffed
    ("download", None, b"<!DOCTYPE html><html>", ("html", None)),
    ("download", None, "Niederschrift".encode(), ("txt", None)),
])
def test_file_kind(tmp_path, name, mime, content, kind):
    path = tmp_path / name
    path.write_bytes(content)
    assert file_kind(path, mime) == kind


def test_unknown_binary_is_unsupported(tmp_path):
    path = tmp_path / "plan.dwg"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(ExtractionError) as info:
        extract_file(path, "application/acad")
    assert info.value.reason == "unsupported_type"


@pytest.mark.parametrize("name, mime", [("leer.pdf", "application/pdf"), ("leer.html", None), ("leer.txt", None)])
def test_empty_files(tmp_path, name, mime):
    path = tmp_path / name
    path.write_bytes(b"")
    with pytest.raises(ExtractionError) as info:
        extract_file(path, mime)
    assert info.value.reason == "empty_file"
