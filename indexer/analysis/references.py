"""Paper references (Drucksachen-Nummern): finding them in text and normalising them to one key.

Every council numbers its papers (a *Drucksache*, *Vorlage*, *Antrag* …) in its own way:

=============  ============================  =============================================
body           ``reference`` in OParl        as cited in texts
=============  ============================  =============================================
Karlsruhe      ``2013/0140``, ``2025/0923/1``  "Vorlage Nr.: 2021/0601", "(Vorlage Nr. 2017/0299)"
               ``DHH/2019/0001`` (Haushalt)
Nordstemmen    ``DS 1/2007``,                 "(DS 40/2023)", "Drucksache Nr. 2/2012",
               ``DS 10/2008 1. Ergänzung``    "DS 93/2020 1. Ergänzung"
Hürtgenwald    ``102/2002``, ``178/2018 2. Ergänzung``
Leipzig        ``VII-HP-08642``,              "Antrag-Nr. VII-A-08079-NF-02"
               ``VII-A-08079-NF-02``
=============  ============================  =============================================

:func:`normalize_reference` maps all spellings of one paper to one key: the word before the number
(``DS``, ``Drucksache``, ``Vorlage Nr.``) is dropped, leading zeros go, letters are lower-cased, and
an *n. Ergänzung* (n-th supplement) becomes ``/n`` as in Karlsruhe's own numbering:

``DS 26/2022``, ``Drucksache 26/2022``, ``26/2022`` → ``26/2022``;
``Vorlage Nr. 2019/0294``, ``2019/0294`` → ``2019/294``;
``DS 10/2008 1. Ergänzung`` → ``10/2008/1``; ``VII-HP-08642`` → ``vii-hp-8642``.

A prefix glued to the number is part of the reference and stays (``DHH/2019/0001`` → ``dhh/2019/1``);
a prefix written apart is dropped, so Nordstemmen's ``AT 3/2025`` and ``DS 3/2025`` share a key.
"""

from __future__ import annotations

import re

# the number itself: optional glued letter prefix, number/number, optional /n suffixes
_CORE = r"(?:[A-Za-z]{1,4}/?)?\d{1,5}/\d{2,5}(?:/\d{1,3}){0,2}"
_LEIPZIG = r"[IVX]{1,4}-[A-Za-z]{1,4}-\d{3,6}(?:-[A-Za-zÄÖÜäöü]{1,4}-\d{1,3})?"
_SUPPLEMENT = r"(?:\s*[-–,]?\s*(?P<supp>\d{1,2})\.\s*Ergänzung)?"
_PREFIX = (
    r"(?:(?:Beschluss|Informations|Mitteilungs|Sitzungs|Tisch)?[Vv]orlage|Drucksache|Drs\.?|DS|"
    r"Antrag|Anfrage|AT|BV|IV|Petition|Einwohneranfrage)"
    r"(?:\s*-?\s*Nr\.?)?\s*:?\s*"
    r"|Nr\.?\s*:?\s*"
)

_PREFIXED = re.compile(rf"\b(?:{_PREFIX})(?P<core>{_CORE}|{_LEIPZIG})\b{_SUPPLEMENT}")
_CONTINUED = re.compile(rf"\s*(?:,|und|sowie|bzw\.?|oder)\s*(?P<core>{_CORE})\b{_SUPPLEMENT}")
_BARE = re.compile(
    rf"\b(?P<core>(?:[A-Za-z]{{2,4}}/?)?(?:19|20)\d\d/\d{{4}}(?:/\d{{1,2}})?|{_LEIPZIG})\b{_SUPPLEMENT}"
)
_ANY_CORE = re.compile(rf"(?P<core>{_LEIPZIG}|{_CORE})")
_SUPP_ONLY = re.compile(r"(?P<supp>\d{1,2})\.\s*Ergänzung")


def _strip_zeros(number: str) -> str:
    return number.lstrip("0") or "0"


def _core_key(core: str) -> str:
    """The key of the bare number: ``DHH/2019/0001`` → ``dhh/2019/1``, ``VII-A-08079`` → ``vii-a-8079``."""
    if "-" in core and "/" not in core:
        return "-".join(_strip_zeros(p) if p.isdigit() else p.lower() for p in core.split("-"))
    head = re.match(r"[A-Za-z]+/?", core)
    prefix = ""
    if head:
        prefix = head.group().rstrip("/").lower() + "/"
        core = core[head.end() :]
    return prefix + "/".join(_strip_zeros(p) for p in core.split("/"))


def normalize_reference(reference: str) -> str:
    """The key that all spellings of one paper reference share (see the module docstring).

    Text without a recognisable number is returned lower-cased with its whitespace collapsed
    (Karlsruhe's old five-digit references such as ``24612`` stay as they are).
    """
    text = " ".join(reference.split())
    m = _ANY_CORE.search(text)
    if m is None:
        return text.lower()
    key = _core_key(m.group("core"))
    supp = _SUPP_ONLY.search(text, m.end())
    if supp and "/" in key:
        key += "/" + _strip_zeros(supp.group("supp"))
    return key


def _is_year_range(core: str) -> bool:
    """``2009/2010`` (a Doppelhaushalt) is a span of years, not a paper."""
    parts = core.split("/")
    return len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit() and int(parts[1]) == int(parts[0]) + 1


def find_references(text: str) -> list[str]:
    """The paper references cited in ``text``, as written, first occurrence of each key, in order.

    Found are: a number after a paper word (``DS 26/2022``, ``Drucksache Nr. 2/2012``,
    ``Vorlage Nr.: 2021/0601``, ``Antrag-Nr. VII-A-08607``) and the numbers listed after it
    (``DS 98/2013 und 21/2015``); Karlsruhe-shaped numbers on their own (``2019/0294``,
    ``DHH/2019/0001``), except spans of years (``2009/2010``); Leipzig numbers (``VII-HP-08642``).
    A bare ``26/2022`` is not taken from running text (``Finanzbericht 2/2023`` is no paper).
    """
    found: list[tuple[int, str]] = []
    for m in _PREFIXED.finditer(text):
        found.append((m.start(), m.group().strip()))
        pos = m.end()
        while (c := _CONTINUED.match(text, pos)) is not None:
            found.append((c.start("core"), text[c.start("core") : c.end()].strip()))
            pos = c.end()
    covered = [(s, s + len(r)) for s, r in found]
    for m in _BARE.finditer(text):
        if _is_year_range(m.group("core")):
            continue
        if any(s <= m.start() < e for s, e in covered):
            continue
        found.append((m.start(), m.group().strip()))
    found.sort()
    seen: set[str] = set()
    out: list[str] = []
    for _, raw in found:
        key = normalize_reference(raw)
        if key not in seen:
            seen.add(key)
            out.append(raw)
    return out


def reference_terms(core: str) -> tuple[str, tuple[str, ...]]:
    """The index terms of a ``ref`` token: its key, and what else finds it.

    ``2025/0923/1`` → ``("2025/923/1", ("2025/923", "2025", "923"))``: the paper it supplements and
    its numbers (so *Doppelhaushalt 2026/2027* is found by *2026*); ``DHH/2019/0001`` →
    ``("dhh/2019/1", ("dhh", "2019"))``; ``VII-A-08079-NF-02`` → ``("vii-a-8079-nf-2", ("vii-a-8079",))``.
    """
    key = _core_key(core)
    extras: list[str] = []
    if "/" not in key:  # Leipzig
        pieces = key.split("-")
        if len(pieces) > 3:
            extras.append("-".join(pieces[:3]))
        return key, tuple(extras)
    pieces = key.split("/")
    prefix = ""
    if not pieces[0].isdigit():
        prefix = pieces[0]
        pieces = pieces[1:]
    for n in range(len(pieces) - 1, 1, -1):
        extras.append("/".join(([prefix] if prefix else []) + pieces[:n]))
    if prefix:
        extras.append(prefix)
        extras.append(pieces[0])
    else:
        extras.extend(pieces[:2])
    return key, tuple(dict.fromkeys(e for e in extras if e != key))
