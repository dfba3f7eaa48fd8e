"""How each training source's entity types become the model's four labels.

The product model knows PER (persons), ORG (organisations, parties, courts, authorities), LOC
(places: states, cities, streets, landscapes) and MISC (other names: events, products, titles of
works, programmes — GermEval's OTH). A source type maps to one of them, to ``O`` (certainly not
a name in our sense: dates, numbers, adjectives like "deutschen"), or to ``MISSING``: the tokens
are left unannotated, so that the model is trained neither to find nor to ignore them. We use
MISSING where a source annotates something our label set cannot express consistently with
GermEval — legal citations in LER ("§ 34 Abs. 1 BauGB", "BVerwG, Urteil vom …") are long
mixed spans that GermEval would tag partly as OTH/ORG and partly not at all.
"""

from __future__ import annotations

from collections.abc import Sequence

from nlp.evaluation import Span, spans_from_tags

#: label of a span whose tokens are left unannotated (spaCy "missing" entity annotation)
MISSING = "-"

#: GermEval 2014 outer labels → model labels (``*deriv``/``*part`` are not names: O)
GERMEVAL: dict[str, str] = {
    "PER": "PER", "ORG": "ORG", "LOC": "LOC", "OTH": "MISC",
    "PERderiv": "O", "ORGderiv": "O", "LOCderiv": "O", "OTHderiv": "O",
    "PERpart": "O", "ORGpart": "O", "LOCpart": "O", "OTHpart": "O",
}  # fmt: skip

#: LER (German court decisions, Leitner et al. 2019) fine-grained types → model labels
LER: dict[str, str] = {
    "PER": "PER",  # Person
    "RR": "PER",  # Richter (judge)
    "AN": "PER",  # Anwalt (lawyer)
    "ORG": "ORG",  # Organisation
    "UN": "ORG",  # Unternehmen (company)
    "INN": "ORG",  # Institution (Bundesregierung, Deutsches Patent- und Markenamt)
    "GRT": "ORG",  # Gericht (court)
    "LD": "LOC",  # Land (country, federal state)
    "ST": "LOC",  # Stadt (city)
    "STR": "LOC",  # Straße (street)
    "LDS": "LOC",  # Landschaft (landscape, region)
    "MRK": MISSING,  # Marke (brand): spans include the quotes, GermEval would say OTH or ORG
    "GS": MISSING,  # Gesetz (law, usually with § and Abs.)
    "VO": MISSING,  # Verordnung (ordinance)
    "EUN": MISSING,  # EU-Norm
    "VS": MISSING,  # Vorschrift (regulation)
    "VT": MISSING,  # Vertrag (contract)
    "RS": MISSING,  # Rechtsprechung (case citation)
    "LIT": MISSING,  # Literatur (literature citation)
}

#: SmartData v1 (DFKI, mobility and industry news) concept types → model labels
SMARTDATA: dict[str, str] = {
    "person": "PER",
    "organization": "ORG",
    "organization-company": "ORG",
    "location": "LOC",
    "location-city": "LOC",
    "location-street": "LOC",  # streets and motorways (A1)
    "location-stop": "LOC",  # stations (München Hbf)
    "location-route": MISSING,  # train lines (IC 2083, S2): no counterpart in GermEval
    "org-position": "O",
    "date": "O",
    "time": "O",
    "number": "O",
    "distance": "O",
    "duration": "O",
    "trigger": "O",
    "disaster-type": "O",
}

#: EuroParl (Faruqui & Padó 2010) and WikiANN use the model's labels already
CONLL: dict[str, str] = {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC"}


def is_lowercase_name(words: Sequence[str]) -> bool:
    """True when a span starts with a lower-case letter: in German such a span is an
    adjective or common phrase ("europäischen", "deutschen", "beiden Richtungen"), which the
    product does not count as a name (GermEval calls these ``*deriv``)."""
    first = words[0] if words else ""
    return bool(first) and first[0].islower()


def lowercase_to_o(target: str, words: Sequence[str]) -> str:
    """``O`` for a name span that starts lower-case (see :func:`is_lowercase_name`), else
    ``target``. Persons are exempt: their names may start with a particle ("von Wogau",
    "van Putten", "de Coene")."""
    if target in ("O", MISSING, "PER") or not is_lowercase_name(words):
        return target
    return "O"


def relabel(
    words: Sequence[str],
    tags: Sequence[str],
    mapping: dict[str, str],
    *,
    lowercase: bool = False,
) -> tuple[str, ...]:
    """IOB2 ``tags`` of a source → model tags: ``B-X``/``I-X``, ``O``, or ``""`` (missing).

    Types not in ``mapping`` are an error (a new type must be decided, not guessed).
    With ``lowercase`` the rule of :func:`lowercase_to_o` applies.
    """
    out = ["O"] * len(tags)
    for span in spans_from_tags(tags):
        if span.label not in mapping:
            raise KeyError(f"no mapping for entity type {span.label!r}")
        target = mapping[span.label]
        if lowercase:
            target = lowercase_to_o(target, words[span.start : span.end])
        write_span(out, span, target)
    return tuple(out)


def write_span(tags: list[str], span: Span, target: str) -> None:
    """Write ``target`` (a model label, ``O`` or :data:`MISSING`) over ``span`` in ``tags``."""
    for i in range(span.start, span.end):
        if target == "O":
            tags[i] = "O"
        elif target == MISSING:
            tags[i] = ""
        else:
            tags[i] = ("B-" if i == span.start else "I-") + target
