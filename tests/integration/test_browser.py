"""The search page in a real browser: Debian's chromium driven by Playwright, against waitress."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is not installed: 'make test' installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def _total(page) -> int:
    text = page.locator("p.summary").inner_text()
    return int(re.match(r"([\d.]+) Dokument", text).group(1).replace(".", ""))


def test_search_facet_and_document(browser, live_server, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="de-DE")
    page = context.new_page()
    page.goto(live_server + "/")
    assert page.title() == "Ratsuche"
    # the search box is labelled and takes the keyboard focus
    assert page.get_by_label("Suchbegriff").is_visible()
    page.get_by_label("Suchbegriff").fill("Sitzung Rat")
    page.get_by_label("Suchart").select_option("keyword")
    page.keyboard.press("Enter")
    page.wait_for_selector("ol.hits li.hit")
    before = _total(page)
    first_titles = page.locator("ol.hits li.hit h3").all_inner_texts()
    assert before > 10 and len(first_titles) == 10
    assert page.locator("ol.hits mark").count() > 0

    # click the first value of the document-type facet: the form submits itself (JS) and the
    # results are filtered to that value, with the count the facet promised
    facet = page.locator("#facet-document_type li").first
    value_count = int(facet.locator(".count").inner_text())
    with page.expect_navigation():
        facet.locator("input[type=checkbox]").check()
    page.wait_for_selector("p.summary")
    after = _total(page)
    assert after == value_count and after < before
    assert page.locator("#facet-document_type input[type=checkbox]:checked").count() == 1
    chosen = facet.locator("label").inner_text().rsplit(" ", 1)[0]
    assert all(chosen in c for c in page.locator("ol.hits p.context").all_inner_texts())

    shots = Path(os.environ.get("RATSUCHE_SCREENSHOT_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "search-page.png"), full_page=False)

    # open a document: its page shows the title and the text by pages
    title = page.locator("ol.hits li.hit h3 a").first.inner_text()
    page.locator("ol.hits li.hit h3 a").first.click()
    page.wait_for_selector("main.document h1")
    assert page.locator("main.document h1").inner_text() == title
    assert page.locator("section.page").count() >= 1
    page.screenshot(path=str(shots / "document-page.png"), full_page=False)
    context.close()


def test_works_without_javascript_and_shows_helpful_empty_state(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/?q=Sitzung&mode=keyword")
    before = _total(page)
    page.locator("#facet-year input[type=checkbox]").first.check()
    page.locator("#filterformular button[type=submit]").click()
    page.wait_for_selector("p.summary")
    assert _total(page) < before
    page.goto(live_server + "/?q=Zzyzxquork&mode=keyword")
    assert page.locator(".message.empty h2").inner_text() == "Keine Treffer"
    page.goto(live_server + "/?q=Rat&mode=keyword&date_from=morgen")
    assert page.locator(".message.error").is_visible()
    context.close()


def test_seed_document_shows_speakers_and_parties(browser, live_server):
    page = browser.new_page()
    page.goto(live_server + "/dokument?id=allris_auszug_kreis_soest_2017.txt")
    assert page.locator("main.document h1").inner_text() == \
        "Antrag der FDP-Fraktion: Die Kommunen im Kreis werden Digital"
    text = page.locator("section.page .text").inner_text()
    assert "Herr Münzberger (FDP) erläutert" in text
    page.close()
