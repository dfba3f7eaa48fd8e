"""Damaged and hostile files end as ExtractionError with a reason, never as a crash.

The files are made in the test: cut from a real council PDF, written by the small PDF writer in
tests/fixtures/extract/minipdf.py (encrypted with RC4, no pages), or plain bytes.
"""

import random
from pathlib import Path

import pytest

from indexer.extract import ExtractionError, extract_file, extract_pdf

from tests.fixtures.extract import minipdf

COUNCIL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "council"
REAL_PDF = COUNCIL / "erlangen" / "pdf" / "2022-04-05_Niederschrift_Niederschrift_1_Sitzung_Buechenbach.pdf"


def reason_of(path: Path, mime_type: str | None = "application/pdf") -> str:
    with pytest.raises(ExtractionError) as info:
        extract_file(path, mime_type, ocr="off")
    return info.value.reason


def test_zero_bytes(tmp_path):
    path = tmp_path / "leer.pdf"
    path.write_bytes(b"")
    assert reason_of(path) == "empty_file"


def test_html_error_page_saved_as_pdf(tmp_path):
    path = tmp_path / "vorlage.pdf"
    path.write_text("<!DOCTYPE html><html><body>Sitzung abgelaufen, bitte neu anmelden</body></html>")
    with pytest.raises(ExtractionError) as info:
        extract_pdf(path)
    assert info.value.reason == "not_a_pdf"
    assert "HTML" in str(info.value)
    assert reason_of(path, None) == "not_a_pdf"  # by extension


def test_garbage_bytes(tmp_path):
    noise = random.Random(7).randbytes(20_000)
    plain = tmp_path / "rauschen.pdf"
    plain.write_bytes(noise)
    assert reason_of(plain) == "not_a_pdf"
    headed = tmp_path / "rauschen-mit-kopf.pdf"
    headed.write_bytes(b"%PDF-1.4\n" + noise + b"\n%%EOF\n")
    assert reason_of(headed) == "broken"


@pytest.mark.parametrize("share", [0.1, 0.5, 0.9, 0.999])
def test_truncated_real_pdf(tmp_path, share):
    data = REAL_PDF.read_bytes()
    path = tmp_path / "abgeschnitten.pdf"
    path.write_bytes(data[: int(len(data) * share)])
    assert reason_of(path) == "truncated"


def test_the_untruncated_file_reads(tmp_path):
    extraction = extract_pdf(REAL_PDF, ocr="off")
    assert len(extraction.pages) == 5 and extraction.warnings == ()


def test_encrypted_pdf_needs_a_password(tmp_path):
    from pdfminer.high_level import extract_text

    path = tmp_path / "vertraulich.pdf"
    path.write_bytes(minipdf.build_pdf([minipdf.text_content(["Vertrauliche Vorlage"])], user_password="geheim"))
    # the fixture is a valid encrypted PDF: with its password pdfminer reads it
    assert extract_text(path, password="geheim").strip() == "Vertrauliche Vorlage"
    with pytest.raises(ExtractionError) as info:
        extract_pdf(path)
    assert info.value.reason == "encrypted"


def test_encrypted_pdf_with_an_empty_user_password_reads(tmp_path):
    path = tmp_path / "nur-eigentuemer.pdf"
    path.write_bytes(minipdf.build_pdf([minipdf.text_content(["Öffentliche Bekanntmachung"])], user_password=""))
    extraction = extract_pdf(path)
    assert [(p.number, p.text) for p in extraction.pages] == [(1, "Öffentliche Bekanntmachung")]


def test_pdf_without_pages(tmp_path):
    path = tmp_path / "ohne-seiten.pdf"
    path.write_bytes(minipdf.build_pdf([]))
    assert reason_of(path) == "no_pages"


def test_one_broken_page_leaves_the_others(tmp_path):
    path = tmp_path / "eine-kaputte-seite.pdf"
    pages = [minipdf.text_content([f"Seite {word}"]) for word in ("eins", "zwei", "drei")]
    # page 2's font is a composite font whose descendant font does not exist
    bad_font = b"<< /Type /Font /Subtype /Type0 /BaseFont /Kaputt /Encoding /Identity-H /DescendantFonts 99 0 R >>"
    path.write_bytes(minipdf.build_pdf(pages, page_fonts={1: bad_font}))
    extraction = extract_pdf(path)
    assert [(p.number, p.text) for p in extraction.pages] == [(1, "Seite eins"), (2, ""), (3, "Seite drei")]
    assert len(extraction.warnings) == 1 and extraction.warnings[0].startswith("page 2: cannot be parsed")


def test_every_page_broken(tmp_path):
    path = tmp_path / "alle-kaputt.pdf"
    bad_font = b"<< /Type /Font /Subtype /Type0 /BaseFont /Kaputt /Encoding /Identity-H /DescendantFonts 99 0 R >>"
    pages = [minipdf.text_content(["eins"]), minipdf.text_content(["zwei"])]
    path.write_bytes(minipdf.build_pdf(pages, page_fonts={0: bad_font, 1: bad_font}))
    assert reason_of(path) == "broken"
