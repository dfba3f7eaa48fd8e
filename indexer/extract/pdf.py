"""Text of a PDF, page by page, with pdfminer.six.

Per page: pdfminer's layout analysis (with ``all_texts=True``, so that text inside figures, Form
XObjects, is analysed too: the Ahnsen Sitzungspaket keeps form fields there) gives text lines
with their boxes; :mod:`indexer.extract.layout` puts them in reading order (columns),
:mod:`indexer.extract.running` drops running headers, footers and page numbers found across the
document, :mod:`indexer.extract.reflow` makes paragraphs and joins hyphenated words.

A page without a text layer (fewer than :data:`MIN_TEXT_CHARS` letters and digits, with an image
covering at least :data:`MIN_IMAGE_COVERAGE` of it, or a text layer of unmappable glyphs) is
OCR'd when ``ocr="auto"`` and Tesseract is installed (:mod:`indexer.extract.ocr`), else flagged.

Damaged files raise :class:`~indexer.extract.errors.ExtractionError`; a single page that cannot
be parsed is left empty with a warning.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from corpora.model import Page

from .cleanup import clean_line, count_cid
from .errors import ExtractionError
from .extraction import Extraction
from .hyphenation import vocabulary_of
from .layout import TextLine, order_lines
from .ocr import OcrFailed, ocr_available, ocr_page
from .reflow import blocks_text
from .running import find_running_lines

OCR_MODES = ("auto", "off")
#: a page with fewer letters and digits than this in its text layer may need OCR
MIN_TEXT_CHARS = 20
#: … when images cover at least this share of it
MIN_IMAGE_COVERAGE = 0.10
#: … or when its text layer holds at least this many unmappable glyphs ``(cid:NN)``
MIN_CID_GLYPHS = 20
#: the PDF header must start within this many bytes (as Acrobat tolerates)
HEADER_WINDOW = 1024
#: the ``%%EOF`` marker must be within this many bytes of the end
TRAILER_WINDOW = 2048


@dataclass(frozen=True)
class _PageScan:
    """What pdfminer found on one page, before ordering."""

    number: int
    width: float
    height: float
    lines: tuple[TextLine, ...]
    text_chars: int
    cid_glyphs: int
    image_coverage: float
    error: str | None = None
    #: characters of turned text left out, by angle: ((90, 1213),)
    turned: tuple[tuple[int, int], ...] = ()

    @property
    def lacks_text_layer(self) -> bool:
        if self.error is not None or self.text_chars >= MIN_TEXT_CHARS:
            return False
        return self.image_coverage >= MIN_IMAGE_COVERAGE or self.cid_glyphs >= MIN_CID_GLYPHS


def layout_params():
    """The pdfminer layout parameters: defaults, plus ``all_texts`` (analyse text in figures)
    and no ``boxes_flow`` (the reading order is ours, pdfminer's box hierarchy would be unused)."""
    from pdfminer.layout import LAParams

    return LAParams(all_texts=True, boxes_flow=None)


def extract_pdf(path: str | os.PathLike, *, ocr: str = "auto",
                page_numbers: Iterable[int] | None = None) -> Extraction:
    """The text of the PDF at ``path``, one :class:`~corpora.model.Page` per PDF page.

    ``ocr``: ``"auto"`` OCRs pages without a text layer when Tesseract and pdftoppm are
    installed, ``"off"`` only flags them (``needs_ocr``). ``page_numbers`` (from 1) extracts only
    those pages (running headers are then found among them alone).
    Raises :class:`ExtractionError` for files that are not readable PDFs.
    """
    if ocr not in OCR_MODES:
        raise ValueError(f"ocr must be one of {OCR_MODES}, not {ocr!r}")
    path = Path(path)
    truncated = _check_file(path)
    wanted = frozenset(page_numbers) if page_numbers is not None else None
    warnings: list[str] = []
    try:
        with _quiet_pdfminer():
            scans = list(_scan_pages(path, wanted, warnings))
    except ExtractionError:
        raise
    except MemoryError as exc:
        raise ExtractionError(f"{path.name}: out of memory while parsing", reason="memory") from exc
    except Exception as exc:  # pdfminer raises many kinds (PSEOF, KeyError, TypeError …)
        raise _parse_error(path, exc, truncated) from exc
    if not scans:
        if wanted:
            return Extraction(pages=(), text_source="pdf", warnings=tuple(warnings))
        raise ExtractionError(f"{path.name}: the PDF has no pages", reason="no_pages")
    failed = [s for s in scans if s.error is not None]
    if failed and (truncated or len(failed) == len(scans)):
        reason = "truncated" if truncated else "broken"
        raise ExtractionError(f"{path.name}: {len(failed)} of {len(scans)} pages cannot be read "
                              f"({failed[0].error})", reason=reason)
    if truncated:
        warnings.append("no %%EOF marker at the end of the file")

    lines_by_page: dict[int, tuple[TextLine, ...]] = {}
    ocr_pages: list[int] = []
    needs_ocr = False
    use_ocr = ocr == "auto" and any(s.lacks_text_layer for s in scans) and ocr_available()
    for scan in scans:
        lines = scan.lines
        if scan.lacks_text_layer:
            if use_ocr:
                try:
                    lines = tuple(ocr_page(path, scan.number, page_width=scan.width))
                    ocr_pages.append(scan.number)
                except OcrFailed as exc:
                    warnings.append(f"page {scan.number}: OCR failed: {exc}")
                    needs_ocr = True
            else:
                needs_ocr = True
        lines_by_page[scan.number] = lines
    if needs_ocr and ocr == "auto" and not use_ocr:
        warnings.append("pages without a text layer were not OCR'd: tesseract (deu) or pdftoppm is not installed")

    pages = _pages_from_lines(scans, lines_by_page)
    return Extraction(pages=tuple(pages), needs_ocr=needs_ocr, ocr_pages=tuple(ocr_pages),
                      text_source="ocr" if ocr_pages else "pdf", warnings=tuple(warnings))


def _pages_from_lines(scans: list[_PageScan], lines_by_page: dict[int, tuple[TextLine, ...]]) -> list[Page]:
    page_lines = [lines_by_page[s.number] for s in scans]
    running = find_running_lines(page_lines, [s.height for s in scans], [s.number for s in scans])
    kept_lines = [[line for i, line in enumerate(lines) if i not in drop] if drop else lines
                  for lines, drop in zip(page_lines, running)]
    vocabulary = vocabulary_of(line.text for lines in kept_lines for line in lines)
    return [Page(number=scan.number, text=blocks_text(order_lines(lines), vocabulary))
            for scan, lines in zip(scans, kept_lines)]


def _check_file(path: Path) -> bool:
    """Raises for a missing, empty or non-PDF file; returns whether the ``%%EOF`` marker is missing."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(HEADER_WINDOW)
            fh.seek(max(0, size - TRAILER_WINDOW))
            tail = fh.read()
    except FileNotFoundError as exc:
        raise ExtractionError(f"{path}: no such file", reason="broken") from exc
    except OSError as exc:
        raise ExtractionError(f"{path}: cannot be read: {exc}", reason="broken") from exc
    if size == 0:
        raise ExtractionError(f"{path.name}: the file is empty", reason="empty_file")
    if b"%PDF-" not in head:
        kind = _sniff(head)
        raise ExtractionError(f"{path.name}: not a PDF (starts like {kind})", reason="not_a_pdf")
    return b"%%EOF" not in tail


def _sniff(head: bytes) -> str:
    start = head.lstrip()[:64].lower()
    if start.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in head[:512].lower():
        return "HTML/XML"
    if start.startswith(b"pk\x03\x04"):
        return "a ZIP archive (an Office document?)"
    if start.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old Office document"
    if start.startswith((b"\x89png", b"\xff\xd8\xff", b"gif8", b"ii*\x00", b"mm\x00*")):
        return "an image"
    try:
        head.decode("utf-8")
        return "text"
    except UnicodeDecodeError:
        return "binary data"


def _parse_error(path: Path, exc: Exception, truncated: bool) -> ExtractionError:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    name = type(exc).__name__
    if isinstance(exc, (PDFPasswordIncorrect, PDFEncryptionError)) or "encrypt" in name.lower():
        return ExtractionError(f"{path.name}: the PDF is encrypted and needs a password ({name})",
                               reason="encrypted")
    if isinstance(exc, RecursionError):
        return ExtractionError(f"{path.name}: nesting too deep to parse", reason="broken")
    detail = str(exc)[:200] or name
    if truncated:
        return ExtractionError(f"{path.name}: the file ends early and cannot be read ({name}: {detail})",
                               reason="truncated")
    return ExtractionError(f"{path.name}: the PDF cannot be parsed ({name}: {detail})", reason="broken")


def _scan_pages(path: Path, wanted: frozenset[int] | None, warnings: list[str]) -> Iterator[_PageScan]:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    with path.open("rb") as fh:
        document = PDFDocument(PDFParser(fh))
        if not document.is_extractable:
            warnings.append("the PDF forbids copying its text; extracted anyway")
        manager = PDFResourceManager(caching=True)
        device = PDFPageAggregator(manager, laparams=layout_params())
        interpreter = PDFPageInterpreter(manager, device)
        for index, page in enumerate(PDFPage.create_pages(document)):
            number = index + 1
            if wanted is not None and number not in wanted:
                continue
            try:
                interpreter.process_page(page)
                scan = _scan_layout(number, device.get_result())
                turned = sum(count for _, count in scan.turned)
                if turned > max(MIN_TEXT_CHARS, scan.text_chars):
                    # the page's text runs sideways: read the page turned so that it stands upright
                    angle = max(scan.turned, key=lambda item: item[1])[0]
                    upright = _scan_turned(interpreter, device, page, number, angle)
                    if upright.text_chars > scan.text_chars:
                        warnings.append(f"page {number}: text runs at {angle}°, read turned upright")
                        scan = upright
            except MemoryError:
                raise
            except Exception as exc:  # one damaged content stream: keep the other pages
                message = f"{type(exc).__name__}: {str(exc)[:120]}"
                warnings.append(f"page {number}: cannot be parsed ({message})")
                x0, y0, x1, y1 = page.mediabox if _is_box(page.mediabox) else (0, 0, 595, 842)
                yield _PageScan(number, abs(x1 - x0), abs(y1 - y0), (), 0, 0, 0.0, error=message)
                continue
            yield scan


def _scan_turned(interpreter, device, page, number: int, angle: int) -> _PageScan:
    """The page processed again with its /Rotate turned by ``angle`` degrees, which makes text
    drawn at that angle upright for the layout analysis."""
    original = page.rotate
    page.rotate = (original + angle) % 360
    try:
        interpreter.process_page(page)
        return _scan_layout(number, device.get_result())
    finally:
        page.rotate = original


def _is_box(box) -> bool:
    return isinstance(box, (list, tuple)) and len(box) == 4 and all(isinstance(v, (int, float)) for v in box)


def _scan_layout(number: int, layout) -> _PageScan:
    from pdfminer.layout import LTChar, LTFigure, LTImage, LTTextBox, LTTextLine

    px0, py0, px1, py1 = layout.bbox
    width, height = px1 - px0, py1 - py0
    lines: list[TextLine] = []
    images: list[tuple[float, float, float, float]] = []
    text_chars = 0
    cid_glyphs = 0
    rotated: Counter[int] = Counter()

    def add_line(obj) -> None:
        nonlocal text_chars, cid_glyphs
        first = next(iter(obj), None)
        if isinstance(first, LTChar) and not first.upright:
            # turned text (a plan drawn sideways, a note in the margin) comes out as letter salad
            # in page coordinates: count its angle, keep it out of the page's lines
            for char in obj:
                if isinstance(char, LTChar) and not char.upright:
                    a, b = char.matrix[0], char.matrix[1]
                    rotated[round(math.degrees(math.atan2(b, a)) / 90) * 90 % 360] += 1
            return
        raw = obj.get_text()
        if "(cid:" in raw:
            cid_glyphs += count_cid(raw)
        text = clean_line(raw)
        if not text:
            return
        text_chars += sum(1 for c in text if c.isalnum())
        lines.append(TextLine(x0=obj.x0 - px0, top=py1 - obj.y1, x1=obj.x1 - px0, bottom=py1 - obj.y0, text=text))

    def walk(container) -> None:
        for obj in container:
            if isinstance(obj, LTTextBox):
                for line in obj:
                    if isinstance(line, LTTextLine):
                        add_line(line)
            elif isinstance(obj, LTTextLine):
                add_line(obj)
            elif isinstance(obj, LTFigure):
                walk(obj)
            elif isinstance(obj, LTImage):
                images.append((obj.x0 - px0, py1 - obj.y1, obj.x1 - px0, py1 - obj.y0))

    walk(layout)
    return _PageScan(number, width, height, tuple(lines), text_chars, cid_glyphs,
                     _coverage(images, width, height), turned=tuple(sorted(rotated.items())))


def _coverage(boxes: list[tuple[float, float, float, float]], width: float, height: float, cells: int = 40) -> float:
    """Share of the page covered by the union of ``boxes`` (on a ``cells`` × ``cells`` grid)."""
    if not boxes or width <= 0 or height <= 0:
        return 0.0
    covered = set()
    cw, ch = width / cells, height / cells
    for x0, top, x1, bottom in boxes:
        i0, i1 = max(0, int(x0 / cw)), min(cells, int(x1 / cw + 0.999))
        j0, j1 = max(0, int(top / ch)), min(cells, int(bottom / ch + 0.999))
        for i in range(i0, i1):
            for j in range(j0, j1):
                covered.add((i, j))
    return len(covered) / (cells * cells)


@contextlib.contextmanager
def _quiet_pdfminer():
    """pdfminer logs every recoverable oddity as a warning; hush it during one extraction."""
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
