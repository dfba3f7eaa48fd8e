"""What kind of document a File is (Vorlage, Niederschrift, Anlage …): one pure function.

OParl has no such field. The File's own name says most ("Protokoll GR TOP 5", "Stellungnahme zur
Anfrage", "Öffentliche Niederschrift (Rat)"); then its role in the Meeting (invitation,
resultsProtocol, verbatimProtocol) or Paper (main file or attachment); then the Paper's type.
"""

from __future__ import annotations

import re

# Checked in order against the File's name; the first match wins.
_NAME_RULES: tuple[tuple[str, str], ...] = (
    (r"wortprotokoll|stenograf", "Wortprotokoll"),
    (r"niederschrift|protokoll|sitzungsbericht", "Niederschrift"),
    (r"sitzungspaket|sammeldokument", "Sammeldokument"),
    (r"stellungnahme|antwort", "Stellungnahme"),
    (r"anfrage", "Anfrage"),
    (r"antrag", "Antrag"),
    (r"einladung|tagesordnung", "Einladung"),
    (r"bekanntmachung", "Bekanntmachung"),
    (r"beschlusstext|beschlussauszug|abstimmungsergebnis|beschluss\b", "Beschluss"),
    (r"vorlage|infotext", "Vorlage"),
    (r"anlage|anhang|präsentation|praesentation|plan\b|karte", "Anlage"),
    (r"\bbrief\b|schreiben", "Brief"),
)
_NAME_PATTERNS = tuple((re.compile(p, re.IGNORECASE), t) for p, t in _NAME_RULES)

_ROLE_TYPES = {
    "invitation": "Einladung",
    "resultsProtocol": "Niederschrift",
    "verbatimProtocol": "Wortprotokoll",
    "resolution": "Beschluss",
}

_PAPER_TYPES: tuple[tuple[str, str], ...] = (
    ("anfrage", "Anfrage"),
    ("antrag", "Antrag"),
    ("stellungnahme", "Stellungnahme"),
    ("vorlage", "Vorlage"),
    ("haushalt", "Vorlage"),
    ("offenlage", "Vorlage"),
)

KNOWN_TYPES = frozenset(t for _, t in _NAME_RULES) | frozenset(_ROLE_TYPES.values()) | {"Sonstiges"}


def classify(*, name: str | None = None, role: str | None = None, paper_type: str | None = None,
             declared: str | None = None) -> str:
    """The document type of a File.

    ``declared`` is a type the source states itself (metadata.jsonl ``document_type``), kept when known.
    ``role`` is the File's place in its Paper or Meeting (see :func:`corpora.oparl.embedded_files`);
    ``"attachment"`` is an auxiliary file of a Paper that has a separate main file.
    """
    if declared:
        declared = declared.strip()
        if declared in KNOWN_TYPES:
            return declared
        if declared.lower() == "anhang":
            return "Anlage"
    if role == "attachment":
        return "Anlage"
    if name:
        # The name's head says what the file is: "Beschlussvorlage (Antrag der Fraktion …)" is a
        # Vorlage, "Anlage zur Beschlussvorlage …" an attachment.
        head, _, inner = name.partition("(")
        head = head.strip() or name
        if head.lower().startswith(("anlage", "anhang")) or inner.strip().lower().startswith(("anlage", "anhang")):
            return "Anlage"
        for pattern, doc_type in _NAME_PATTERNS:
            if pattern.search(head):
                return doc_type
    if role in _ROLE_TYPES:
        return _ROLE_TYPES[role]
    if paper_type:
        low = paper_type.lower()
        for needle, doc_type in _PAPER_TYPES:
            if needle in low:
                return doc_type
    if role == "auxiliary":
        return "Anlage"
    return "Sonstiges"
