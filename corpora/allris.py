"""ALLRIS and SessionNet "Auszug" pages: one agenda item of one meeting, as a document.

An Auszug (excerpt of the minutes) shows a metadata block — Sitzung, TOP, Gremium, Beschlussart,
Datum, Status, Zeit, Raum, Ort, then the Vorlage (Drucksache: number and title, Vorlage-Art,
Aktenzeichen, Federführend) — and the sections Wortprotokoll (what was said), Beschluss (what was
decided) and Abstimmungsergebnis (the vote). ALLRIS renders the block as a table of label and value
cells, SessionNet as label/value rows of divs; both come out of :func:`corpora.html.html_to_text`
as lines of "Label: value" or "Label<TAB>value" pairs, and so does a page saved as text. This module
parses those lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpora.html import html_to_text

_LABELS = {
    "sitzung": "sitzung", "top": "top", "tagesordnungspunkt": "top", "gremium": "gremium",
    "beschlussart": "beschlussart", "datum": "datum", "status": "status", "zeit": "zeit",
    "anlass": "anlass", "raum": "raum", "ort": "ort", "vorlage": "vorlage", "vorlage-art": "vorlage_art",
    "vorlagenart": "vorlage_art", "aktenzeichen": "aktenzeichen", "federführend": "federfuehrend",
    "federführung": "federfuehrend", "bearbeiter/-in": "bearbeiter", "bearbeiter": "bearbeiter",
    "verfasser": "bearbeiter", "betreff": "betreff",
}
# A label starts with a capital letter (as pages print it) and ends with a colon; it may be glued to
# the value before it ("Status:öffentlichVorlage-Art:Fraktionsantrag" in text renderings).
_LABEL_RE = re.compile(
    r"(" + "|".join(k[0].upper() + "(?i:" + re.escape(k[1:]) + ")"
                    for k in sorted(_LABELS, key=len, reverse=True)) + r")\s*:\s*"
)
_TAB_PAIR = re.compile(r"^(" + "|".join(re.escape(k) for k in _LABELS) + r")$", re.IGNORECASE)
SECTION_HEADINGS = ("Wortprotokoll", "Beschlussvorschlag", "Beschluss", "Abstimmungsergebnis", "Sachverhalt",
                    "Begründung", "Protokoll", "Ergebnis")
_SECTION_RE = re.compile(r"^(" + "|".join(SECTION_HEADINGS) + r"):?$", re.IGNORECASE)
_REFERENCE_LINE = re.compile(r"^((?:[A-ZÄÖÜ]{1,5}[\s-]?)?\d{1,5}/\d{2,4}(?:[-/]\d+)?)\s+(\S.*)$")
_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})")
_MARKERS = ("gremium", "top", "datum")
_SESSION_LINE = re.compile(r"^\d+\.\s+(?:\w+\s+)?Sitzung\b")


@dataclass(frozen=True)
class Auszug:
    title: str
    fields: dict[str, str]
    reference: str | None
    paper_name: str | None
    sections: tuple[tuple[str, str], ...]
    body_text: str
    canonical: str | None = None
    extras: dict[str, str] = field(default_factory=dict)

    @property
    def date(self) -> str | None:
        m = _DATE.search(self.fields.get("datum", ""))
        return f"{int(m.group(3)):04d}-{int(m.group(2)):02d}-{int(m.group(1)):02d}" if m else None

    @property
    def start(self) -> str | None:
        """ISO start of the meeting: the date, with the time of "Zeit: 17:00 - 18:51" if given."""
        date = self.date
        t = _TIME.search(self.fields.get("zeit", ""))
        if date and t:
            return f"{date}T{int(t.group(1)):02d}:{t.group(2)}:00"
        return date

    @property
    def top_number(self) -> str | None:
        return self.fields.get("top")

    @property
    def public(self) -> bool | None:
        top = (self.top_number or "").strip().upper()
        if top.startswith("Ö"):
            return True
        if top.startswith("N"):
            return False
        return None


def looks_like_auszug(text: str) -> bool:
    """True for the text of an ALLRIS/SessionNet agenda-item page (a metadata block with at least
    the labels Gremium, TOP and Datum near the top)."""
    head = text[:4000]
    found = {m.group(1).lower() for m in _LABEL_RE.finditer(head)}
    found |= {line.split("\t", 1)[0].strip().rstrip(":").lower() for line in head.splitlines()
              if "\t" in line or line.strip().rstrip(":").lower() in _LABELS}
    return all(marker in {_LABELS.get(f, f) for f in found} for marker in _MARKERS)


def _pairs(line: str) -> list[tuple[str, str]]:
    cells = [c.strip() for c in line.split("\t")]
    if len(cells) >= 2 and all(cells) and _TAB_PAIR.match(cells[0].rstrip(":")):
        # "Label<TAB>value<TAB>Label<TAB>value" without colons (SessionNet rows)
        out = []
        for i in range(0, len(cells) - 1, 2):
            label = cells[i].rstrip(":").strip().lower()
            if label in _LABELS:
                out.append((_LABELS[label], cells[i + 1]))
        return out
    flat = " ".join(cells)
    matches = list(_LABEL_RE.finditer(flat))
    if not matches or flat[: matches[0].start()].strip():
        return []
    out = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(flat)
        value = flat[m.end():end].strip()
        out.append((_LABELS[m.group(1).lower()], value))
    return out


def parse_auszug(text: str, *, title: str | None = None, canonical: str | None = None) -> Auszug:
    """Parse the text rendering of an Auszug page (see :func:`corpora.html.html_to_text`)."""
    lines = [line.replace("\xa0", " ").strip() for line in text.splitlines()]
    fields: dict[str, str] = {}
    reference = paper_name = None
    first_section = len(lines)
    heading_lines: list[str] = []
    label_alone: str | None = None  # SessionNet prints label and value in blocks of their own
    for i, line in enumerate(lines):
        if _SECTION_RE.match(line.replace("\t", " ").strip()):
            first_section = i
            break
        if not line:
            continue
        if line.rstrip(":").lower() in _LABELS:
            label_alone = line.rstrip(":").lower()
            continue
        if label_alone:
            line, label_alone = f"{label_alone.capitalize()}: {line}", None
        pairs = _pairs(line)
        if pairs:
            for key, value in pairs:
                if key == "status" and "status" in fields:
                    key = "vorlage_status"
                if key == "vorlage" and value:
                    m = _REFERENCE_LINE.match(value)
                    reference, paper_name = (m.group(1), m.group(2)) if m else (value, paper_name)
                    continue
                if value:
                    fields.setdefault(key, value)
            continue
        m = _REFERENCE_LINE.match(line.replace("\t", " "))
        if m and reference is None and "gremium" in fields:
            reference, paper_name = m.group(1), m.group(2).strip()
            continue
        if _SESSION_LINE.match(line) and "sitzung" not in fields:
            fields["sitzung"] = line.replace("\t", " ")  # "12. Sitzung des Ausschusses …" without a label
            continue
        heading_lines.append(line)

    # Sections: a run of heading lines with nothing between them is a navigation bar; the text
    # that follows belongs to the first heading of the run.
    sections: list[tuple[str, list[str]]] = []
    pending: list[str] = []
    for line in lines[first_section:]:
        flat = line.replace("\t", " ").strip()
        if _SECTION_RE.match(flat):
            pending.append(flat.rstrip(":"))
            continue
        if pending:
            sections.append((pending[0], []))
            pending = []
        if sections:
            sections[-1][1].append(line.replace("\t", " "))
    if pending and not sections:
        sections.append((pending[0], []))
    section_texts = tuple((name, re.sub(r"\n{3,}", "\n\n", "\n".join(body)).strip()) for name, body in sections)

    page_title = next((t for t in map(_clean_title, [title, *heading_lines]) if t), None)
    page_title = page_title or paper_name or fields.get("betreff") or fields.get("sitzung") or "Auszug"
    body_parts = [f"{name}\n\n{body}" for name, body in section_texts if body]
    return Auszug(title=page_title, fields=fields, reference=reference, paper_name=paper_name,
                  sections=section_texts, body_text="\n\n".join(body_parts), canonical=canonical)


def parse_auszug_html(html: str) -> Auszug:
    rendered = html_to_text(html, cells="\t")
    return parse_auszug(rendered.text, title=rendered.title, canonical=rendered.canonical)


def _clean_title(title: str | None) -> str | None:
    if not title:
        return None
    title = re.sub(r"^\s*(Bürgerinformationssystem|Ratsinformationssystem|SessionNet|ALLRIS)\s*[-|:]?\s*", "",
                   title, flags=re.IGNORECASE)
    title = re.sub(r"^\s*(Auszug|Tagesordnungspunkt|Vorlage|Drucksache)\s*[-–:]\s*", "", title, flags=re.IGNORECASE)
    return " ".join(title.split()) or None
