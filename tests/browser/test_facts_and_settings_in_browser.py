"""Real chromium on the report's new parts: changed facts reached by keyboard, hover and the list at
the top, the strip-injected view, and per-pair settings, with htmx and without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from app.align import summarise
from app.web.templating import percent
from tests.browser.live_server import LiveServer, log_in_page
from tests.web import constructed

FULL = constructed.ALIGNMENT.summary
STRIPPED = summarise(constructed.ORIGINAL, constructed.COPY, constructed.BLOCKS, strip_injected=True)


# Every test's ``page`` is an editor's, logged in through the login page.
pytestmark = pytest.mark.usefixtures("editor_logged_in")


def tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement === document.querySelector(s)", selector):
            return
    raise AssertionError(f"{selector} never got the focus in {limit} presses of Tab")


def test_tabbing_to_a_changed_fact_shows_its_original_wording(page: Page, constructed_pair: str) -> None:
    page.goto(constructed_pair)
    tip = page.locator("#fact-1 .fact-other")
    expect(tip).to_be_hidden()

    tab_to(page, "#fact-1")

    expect(page.locator("#fact-1")).to_be_focused()
    expect(tip).to_be_visible()
    expect(tip).to_have_text("Original: Monday")
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()

    tab_to(page, "#fact-2", limit=10)  # past the row's note buttons, if the rows differ

    expect(page.locator("#fact-2")).to_be_focused()
    expect(page.locator("#fact-2 > .fact-other")).to_be_visible()
    expect(tip).to_be_hidden()


def test_hovering_a_name_inside_a_quotation_shows_only_the_names_original(page: Page, constructed_pair: str) -> None:
    page.goto(constructed_pair)

    page.locator("#fact-3").hover()

    expect(page.locator("#fact-3 > .fact-other")).to_be_visible()
    expect(page.locator("#fact-3 > .fact-other")).to_have_text("Original: State Department")
    expect(page.locator("#fact-2 > .fact-other")).to_be_hidden()


def test_fact_marks_look_different_from_added_words(page: Page, constructed_pair: str) -> None:
    page.goto(constructed_pair)

    fact = page.locator("#fact-5").evaluate("m => getComputedStyle(m).backgroundColor")
    added = page.locator("#block-2 td.cell-copy ins").last.evaluate("m => getComputedStyle(m).backgroundColor")
    border = page.locator("#fact-5").evaluate("m => getComputedStyle(m).borderBottomStyle")

    assert fact != added
    assert border == "double"
    expect(page.locator("#fact-5 > abbr.fact-kind")).to_be_visible()


def test_clicking_an_item_of_the_facts_list_lands_on_the_fact(page: Page, constructed_pair: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 700})
    page.goto(constructed_pair)

    page.locator('.fact-list a[href="#fact-5"]').click()

    fact = page.locator("#fact-5")
    expect(fact).to_be_focused()
    expect(fact).to_be_in_viewport()
    expect(page.locator("#fact-5 > .fact-other")).to_have_text("Original: Reeker")
    expect(page).to_have_url(re.compile(r"#fact-5$"))
    expect(page.locator("#block-6")).to_have_class(re.compile(r"\bcurrent\b"))

    page.keyboard.press("j")  # j/k carry on from the fact's row

    expect(page.locator("#block-8")).to_be_focused()


def test_strip_toggle_changes_the_figures_without_loading_a_new_page(page: Page, constructed_pair: str) -> None:
    page.goto(constructed_pair)
    page.evaluate("window.stillTheSamePage = true")
    derived = page.locator(".figure.copy-derived dd")
    expect(derived).to_have_text(percent(FULL.copy_derived))

    page.locator("#strip-toggle").click()

    expect(derived).to_have_text(percent(STRIPPED.copy_derived))
    expect(page.locator("[data-strip-figures]")).to_have_text(
        f"Copy derived {percent(FULL.copy_derived)} → {percent(STRIPPED.copy_derived)} without injected text.")
    expect(page.locator("td.cell-copy del.injected.stripped")).to_have_count(2)
    expect(page).to_have_url(re.compile(r"\?strip_injected=1$"))
    expect(page.locator("#strip-toggle")).to_be_focused()
    expect(page.locator("#strip-toggle")).to_have_text("Show injected text")
    assert page.evaluate("window.stillTheSamePage") is True

    page.locator("#strip-toggle").click()

    expect(derived).to_have_text(percent(FULL.copy_derived))
    expect(page.locator("td.cell-copy mark.injected")).to_have_count(2)
    assert page.evaluate("window.stillTheSamePage") is True


def open_settings(page: Page) -> None:
    expect(page.get_by_label("Minimum similarity to link")).to_be_hidden()
    page.get_by_text("Alignment settings").click()
    expect(page.get_by_label("Minimum similarity to link")).to_be_visible()


def test_changing_the_minimum_similarity_says_the_figures_changed_and_reset_undoes_it(
        page: Page, constructed_pair: str) -> None:
    page.goto(constructed_pair)
    page.evaluate("window.stillTheSamePage = true")
    expect(page.locator("[data-settings-effect]")).to_have_count(0)
    expect(page.locator(".settings-now")).to_have_text("minimum similarity 0.3 · quotations treated as copied (the defaults)")
    open_settings(page)

    page.get_by_label("Minimum similarity to link").fill("0.9")
    page.get_by_role("button", name="Re-align").click()

    effect = page.locator("[data-settings-effect]")
    expect(effect).to_contain_text("These settings changed the figures.")
    expect(effect).to_contain_text("minimum similarity 0.9 (default 0.3)")
    expect(effect).to_contain_text("With default settings:")
    expect(page.locator("[data-settings-status]")).to_be_focused()
    expect(page.get_by_label("Minimum similarity to link")).to_have_value("0.9")
    expect(page.locator(".settings-now")).to_have_text("minimum similarity 0.9 · quotations treated as copied")
    assert page.evaluate("window.stillTheSamePage") is True

    page.get_by_role("button", name="Reset to defaults").click()

    expect(page.locator("[data-settings-effect]")).to_have_count(0)
    expect(page.get_by_label("Minimum similarity to link")).to_have_value("0.3")
    assert page.evaluate("window.stillTheSamePage") is True


def test_an_out_of_range_setting_is_explained_next_to_the_field(page: Page, constructed_pair: str) -> None:
    page.goto(constructed_pair)
    open_settings(page)

    page.get_by_label("Minimum similarity to link").fill("2")
    page.get_by_role("button", name="Re-align").click()

    expect(page.locator("#min_similarity-error")).to_contain_text("2 is out of range: enter a number from 0.1 to 0.9")
    expect(page.get_by_label("Minimum similarity to link")).to_be_focused()
    expect(page.get_by_label("Minimum similarity to link")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#rows tr.row")).to_have_count(len(constructed.ROW_KINDS))


def test_facts_strip_and_settings_work_without_javascript(
        browser: Browser, live_server: LiveServer, live_editor: str, constructed_pair: str) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        log_in_page(page, live_server.url, live_editor)
        page.goto(constructed_pair)

        page.locator('.fact-list a[href="#fact-3"]').click()
        expect(page).to_have_url(re.compile(r"#fact-3$"))
        expect(page.locator("#fact-3")).to_be_in_viewport()

        page.locator("#strip-toggle").click()
        page.wait_for_url(re.compile(r"strip_injected=1$"))
        expect(page.locator(".figure.copy-derived dd")).to_have_text(percent(STRIPPED.copy_derived))

        open_settings(page)
        page.get_by_label("Minimum similarity to link").fill("0.9")
        page.get_by_role("button", name="Re-align").click()
        page.wait_for_url(re.compile(r"/pairs/\d+\?strip_injected=1$"))
        expect(page.locator("[data-settings-effect]")).to_contain_text("These settings changed the figures.")
    finally:
        context.close()
