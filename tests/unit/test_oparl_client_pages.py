"""Pure parts of the OParl client: list page shapes, query strings, retry delays, server time."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from corpora.http import _server_time, retry_delay
from corpora.oparl_client import split_page, with_query

PAPER = {"id": "https://ris.example/oparl/paper/1", "name": "Bebauungsplan Nr. 12"}


def test_a_regular_page() -> None:
    page = split_page({"data": [PAPER], "links": {"next": "https://ris.example/oparl/paper?page=2"},
                       "pagination": {"currentPage": 1}})
    assert page is not None
    assert (page.items, page.next_url) == ([PAPER], "https://ris.example/oparl/paper?page=2")


@pytest.mark.parametrize("data, items", [
    ({"data": PAPER, "links": {}}, [PAPER]),          # an object where the list belongs
    ({"data": [PAPER]}, [PAPER]),                      # no links at all: the last page
    ({"data": None, "links": {"next": None}}, []),     # an empty page
    ([PAPER, PAPER], [PAPER, PAPER]),                  # a bare JSON list
    (PAPER, [PAPER]),                                  # a single object instead of a page
])
def test_vendor_page_shapes(data: object, items: list[object]) -> None:
    page = split_page(data)
    assert page is not None and page.items == items and page.next_url is None


@pytest.mark.parametrize("data", [{"links": {"next": "x"}}, "data", 42, None, {"name": "no id"}])
def test_not_a_page(data: object) -> None:
    assert split_page(data) is None


@pytest.mark.parametrize("links", [{"next": ""}, {"next": 7}, ["next"], "next"])
def test_a_broken_next_link_ends_the_list(links: object) -> None:
    page = split_page({"data": [PAPER], "links": links})
    assert page is not None and page.next_url is None


def test_with_query_adds_and_replaces() -> None:
    url = with_query("https://ris.example/oparl/body/1/paper?limit=20&modified_since=old",
                     modified_since="2026-11-25T14:00:00+00:00")
    parts = urlsplit(url)
    assert parts.path == "/oparl/body/1/paper"
    assert parse_qs(parts.query) == {"limit": ["20"], "modified_since": ["2026-11-25T14:00:00+00:00"]}
    assert "%2B00%3A00" in parts.query  # the "+" of the offset survives as %2B, not as a space


def test_retry_delays_double() -> None:
    assert [retry_delay(a, 1.0) for a in range(4)] == [1.0, 2.0, 4.0, 8.0]
    assert [retry_delay(a, 0.001) for a in range(3)] == [0.001, 0.002, 0.004]
    assert retry_delay(0, 1.0, retry_after=5.0) == 5.0      # the server asked for more
    assert retry_delay(3, 1.0, retry_after=5.0) == 8.0      # our backoff is longer already
    assert retry_delay(0, 1.0, retry_after=3600.0) == 60.0  # capped at a minute


def test_server_time_comes_from_the_date_header() -> None:
    assert _server_time({"Date": "Wed, 25 Nov 2026 14:43:33 GMT"}) == "2026-11-25T14:43:33+00:00"
    own = _server_time({"Date": "not a date"})  # our clock, same form
    assert own.endswith("+00:00") and len(own) == len("2026-11-25T14:43:33+00:00")
