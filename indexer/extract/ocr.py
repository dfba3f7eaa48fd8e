"""OCR of a PDF page without a text layer: render with ``pdftoppm`` (poppler-utils), read with
``tesseract`` (German, ``deu``), both as external programs found on ``PATH``.

Why these two: poppler's renderer is small, fast and exact; Tesseract's TSV output gives a box
for every word, so OCR'd lines go through the same layout analysis (columns, paragraphs,
de-hyphenation, running headers) as the lines of a text layer. OCRmyPDF would add a Python
dependency and rewrite the whole file to OCR a page.

Pages are rendered so that their longer side is 3508 pixels (A4 at 300 dpi; an A3 plan gets
about 212 dpi), in grey. Tesseract runs single-threaded (``OMP_THREAD_LIMIT=1``): ingestion
parallelises over files, not inside one page.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .cleanup import clean_line
from .layout import TextLine

LANGUAGE = "deu"
#: pixels of the page's longer side when rendered for OCR (A4 at 300 dpi)
RENDER_LONG_SIDE = 3508
#: Tesseract's word confidence (0–100) below which a word is dropped as noise (map hatching …)
MIN_WORD_CONFIDENCE = 30.0
#: seconds one page's rendering or recognition may take
PAGE_TIMEOUT = 180.0


class OcrFailed(Exception):
    """Rendering or recognition of one page failed (the page is then flagged ``needs_ocr``)."""


@functools.lru_cache(maxsize=1)
def ocr_available() -> bool:
    """Whether ``pdftoppm`` and ``tesseract`` with German (``deu``) are installed."""
    if not (shutil.which("tesseract") and shutil.which("pdftoppm")):
        return False
    try:
        out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return LANGUAGE in out.stdout.split()


def ocr_page(path: str | os.PathLike, number: int, *, page_width: float,
             timeout: float = PAGE_TIMEOUT) -> list[TextLine]:
    """The text lines of page ``number`` (from 1) read by OCR, in PDF points from the page's
    top-left corner (``page_width``: the page's width in points, to scale pixels to points)."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with tempfile.TemporaryDirectory(prefix="ratsuche-ocr-") as tmp:
        prefix = Path(tmp) / "page"
        _run(["pdftoppm", "-f", str(number), "-l", str(number), "-gray", "-png",
              "-scale-to", str(RENDER_LONG_SIDE), os.fspath(path), os.fspath(prefix)], timeout, env)
        images = sorted(Path(tmp).glob("page*.png"))
        if not images:
            raise OcrFailed(f"pdftoppm rendered no image of page {number}")
        tsv = _run(["tesseract", os.fspath(images[0]), "stdout", "-l", LANGUAGE, "--psm", "3", "tsv"],
                   timeout, env)
    return lines_from_tsv(tsv, page_width=page_width)


def _run(command: list[str], timeout: float, env: dict[str, str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired as exc:
        raise OcrFailed(f"{command[0]} timed out after {timeout:.0f} s") from exc
    except OSError as exc:
        raise OcrFailed(f"{command[0]} could not run: {exc}") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise OcrFailed(f"{command[0]} exited with {done.returncode}: {message[0][:200]}")
    return done.stdout.decode("utf-8", "replace")


def lines_from_tsv(tsv: str, *, page_width: float) -> list[TextLine]:
    """Tesseract's TSV output (one row per page, block, paragraph, line and word) as text lines:
    the words of each line joined, with the line's box scaled from pixels to points."""
    image_width = 0.0
    lines: dict[tuple[str, str, str], list[tuple[float, float, float, float, str]]] = {}
    for raw in tsv.splitlines()[1:]:
        cols = raw.split("\t")
        if len(cols) < 12:
            continue
        level = cols[0]
        left, top, width, height = (float(c) for c in cols[6:10])
        if level == "1":
            image_width = width
        elif level == "5":
            text = clean_line(cols[11])
            if not text or float(cols[10]) < MIN_WORD_CONFIDENCE:
                continue
            lines.setdefault((cols[2], cols[3], cols[4]), []).append((left, top, left + width, top + height, text))
    if not image_width:
        return []
    scale = page_width / image_width
    out = []
    for words in lines.values():
        words.sort(key=lambda w: w[0])
        out.append(TextLine(
            x0=min(w[0] for w in words) * scale, top=min(w[1] for w in words) * scale,
            x1=max(w[2] for w in words) * scale, bottom=max(w[3] for w in words) * scale,
            text=" ".join(w[4] for w in words),
        ))
    return out
