"""JSON from outside (dumps, OParl servers, sidecar files): parsed with limits.

Python's ``json`` raises ``RecursionError`` (not ``ValueError``) on deeply nested input, and
nested values would then recurse through the parsers. :func:`loads` turns both into a
``ValueError``: OParl objects are shallow (a Meeting with AgendaItems and their Files is about 6
levels deep), so anything deeper than :data:`MAX_DEPTH` is refused.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 32


def depth(value: Any) -> int:
    """Nesting depth of a parsed JSON value, computed without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, level)
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, level)
            stack.extend((v, level + 1) for v in item)
    return deepest


def loads(text: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` that raises ``ValueError`` for invalid, too deeply nested or non-JSON input."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8: {exc}") from None
    if depth(value) > max_depth:
        raise ValueError(f"JSON nested deeper than {max_depth} levels")
    return value
