"""Real chromium against a live server: upload through the form, read the colour-coded rows,
hide verbatim rows with htmx, move between changes with j/k, and read it all on a phone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.live_server import LiveServer, log_in_page
from tests.browser.screenshot import photograph

KEPT = "The council met on Tuesday evening to discuss the new harbour wall and what it will cost."
DROPPED = "Residents may write to the town clerk with their views before the end of the month."
LAST = "Work on the wall is expected to begin in the spring if the weather allows it."
ADDED = "Advertisement: call 555-0199 today."
ORIGINAL = f"{KEPT}\n\n{DROPPED}\n\n{LAST}"
COPY = f"{KEPT}\n\n{ADDED}\n\n{LAST}"

CHANGE_ROWS = "#rows tr.row:not(.rel-verbatim)"


# Every test's ``page`` is an editor's, logged in through the login page.
pytestmark = pytest.mark.usefixtures("editor_logged_in")


def upload(page: Page, tmp_path: Path, *, original: str = ORIGINAL, copy: str = COPY) -> None:
    """Fill the form like an editor: paste the original, upload the copy as a .txt file, look at
    the preview, save."""
    copy_file = tmp_path / "copy.txt"
    copy_file.write_bytes(copy.encode("utf-8"))
    page.goto("/pairs/new")
    page.get_by_label("Title").first.fill("Harbour wall")
    page.locator("#original_text").fill(original)
    page.locator("#copy_title").fill("Harbour wall (copied)")
    page.locator("#copy_file").set_input_files(str(copy_file))
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("button", name="Save and compare").click()
    page.wait_for_url(re.compile(r"/pairs/\d+$"))


def test_an_editor_uploads_a_pair_through_the_form_and_sees_it_side_by_side(page: Page, tmp_path: Path) -> None:
    upload(page, tmp_path)

    expect(page.locator("h1")).to_have_text("Harbour wall ↔ Harbour wall (copied)")
    verbatim = page.locator("#rows tr.rel-verbatim")
    expect(verbatim).to_have_count(2)
    expect(verbatim.first.locator(".cell-original .text")).to_have_text(KEPT)
    expect(verbatim.first.locator(".cell-copy .text")).to_have_text(KEPT)
    expect(page.locator("#rows tr.rel-inserted .cell-copy .text")).to_have_text(ADDED)
    expect(page.locator("#rows tr.rel-omitted .cell-original .text")).to_have_text(DROPPED)
    expect(page.locator("#rows tr.rel-inserted .label")).to_have_text("Inserted")
    expect(page.locator("#rows tr.rel-omitted .label")).to_have_text("Omitted")
    expect(verbatim.first.locator(".label")).to_have_text("Verbatim")
    expect(verbatim.first.locator(".score")).to_have_text("100%")


def test_rows_of_different_kinds_have_different_colours(page: Page, tmp_path: Path) -> None:
    upload(page, tmp_path)

    colours = {kind: page.locator(f"#rows tr.rel-{kind}").first.evaluate(
                   "row => getComputedStyle(row).backgroundColor")
               for kind in ("verbatim", "inserted", "omitted")}

    assert len(set(colours.values())) == 3, colours
    assert "rgba(0, 0, 0, 0)" not in colours.values()
    legend = page.locator(".legend-item.rel-inserted").evaluate("item => getComputedStyle(item).backgroundColor")
    assert legend == colours["inserted"]


def test_hide_verbatim_toggle_removes_verbatim_rows_without_loading_a_new_page(page: Page, tmp_path: Path) -> None:
    upload(page, tmp_path)
    page.evaluate("window.stillTheSamePage = true")
    toggle = page.locator("#verbatim-toggle")

    toggle.click()

    expect(page.locator("#rows tr.rel-verbatim")).to_have_count(0)
    expect(page.locator("#rows tr.gap")).not_to_have_count(0)
    expect(page).to_have_url(re.compile(r"/pairs/\d+\?hide_verbatim=1$"))
    expect(toggle).to_have_text("Show verbatim rows")
    expect(toggle).to_be_focused()
    assert page.evaluate("window.stillTheSamePage") is True

    toggle.click()

    expect(page.locator("#rows tr.rel-verbatim")).to_have_count(2)
    expect(page).to_have_url(re.compile(r"/pairs/\d+$"))
    assert page.evaluate("window.stillTheSamePage") is True


def test_hide_verbatim_toggle_works_as_a_plain_link_without_javascript(
        browser: Browser, live_server: LiveServer, live_editor: str, tmp_path: Path) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        log_in_page(page, live_server.url, live_editor)
        upload(page, tmp_path)
        expect(page.locator(".change-nav")).to_be_hidden()

        page.locator("#verbatim-toggle").click()

        page.wait_for_url(re.compile(r"hide_verbatim=1$"))
        expect(page.locator("#rows tr.rel-verbatim")).to_have_count(0)
        expect(page.locator("#verbatim-toggle")).to_have_text("Show verbatim rows")
    finally:
        context.close()


def test_j_and_k_move_the_focus_between_rows_that_are_not_verbatim(page: Page, tmp_path: Path) -> None:
    upload(page, tmp_path)
    changes = page.locator(CHANGE_ROWS).evaluate_all("rows => rows.map(row => row.id)")
    assert len(changes) == 2

    page.keyboard.press("j")
    expect(page.locator(f"#{changes[0]}")).to_be_focused()
    expect(page.locator(f"#{changes[0]}")).to_have_class(re.compile(r"\bcurrent\b"))

    page.keyboard.press("j")
    expect(page.locator(f"#{changes[1]}")).to_be_focused()
    expect(page.locator(f"#{changes[0]}")).not_to_have_class(re.compile(r"\bcurrent\b"))
    expect(page.locator("[data-nav-status]")).to_have_text(re.compile(r"^Change 2 of 2"))

    page.keyboard.press("j")
    expect(page.locator(f"#{changes[1]}")).to_be_focused()
    expect(page.locator("[data-nav-status]")).to_have_text("No more changes below.")

    page.keyboard.press("k")
    expect(page.locator(f"#{changes[0]}")).to_be_focused()


def test_previous_and_next_buttons_move_between_changes_too(page: Page, tmp_path: Path) -> None:
    upload(page, tmp_path)
    changes = page.locator(CHANGE_ROWS).evaluate_all("rows => rows.map(row => row.id)")

    page.get_by_role("button", name="Next change").click()
    page.get_by_role("button", name="Next change").click()
    expect(page.locator(f"#{changes[1]}")).to_be_focused()

    page.get_by_role("button", name="Previous change").click()
    expect(page.locator(f"#{changes[0]}")).to_be_focused()


def test_j_typed_into_a_text_field_stays_in_the_field(page: Page, tmp_path: Path) -> None:
    upload(page, tmp_path)
    page.evaluate("""() => {
        const field = document.createElement("input");
        field.id = "probe";
        document.querySelector(".toolbar").append(field);
    }""")

    page.locator("#probe").press_sequentially("jk")

    expect(page.locator("#probe")).to_have_value("jk")
    expect(page.locator("#probe")).to_be_focused()
    expect(page.locator("#rows tr.current")).to_have_count(0)


def test_columns_sit_side_by_side_on_a_wide_screen_and_stack_on_a_phone(page: Page, tmp_path: Path) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    upload(page, tmp_path)
    row = page.locator("#rows tr.rel-verbatim").first
    original, copy = row.locator(".cell-original"), row.locator(".cell-copy")

    wide_original, wide_copy = original.bounding_box(), copy.bounding_box()
    assert wide_original and wide_copy
    assert wide_copy["x"] >= wide_original["x"] + wide_original["width"] - 1
    assert abs(wide_copy["y"] - wide_original["y"]) < 1

    page.set_viewport_size({"width": 390, "height": 844})

    narrow_original, narrow_copy = original.bounding_box(), copy.bounding_box()
    assert narrow_original and narrow_copy
    assert narrow_copy["y"] >= narrow_original["y"] + narrow_original["height"] - 1
    assert narrow_copy["width"] > 300
    label = copy.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"Copy"'
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_form_with_an_empty_side_comes_back_with_the_message_next_to_it(page: Page) -> None:
    page.goto("/pairs/new")
    page.locator("#original_text").fill(ORIGINAL)

    page.get_by_role("button", name="Preview").click()

    expect(page.locator("#copy_text-error")).to_contain_text("The copy text is empty")
    expect(page.locator("#original_text")).to_have_value(ORIGINAL)
    expect(page.locator("#copy_text")).to_have_attribute("aria-invalid", "true")


def test_an_editor_deletes_a_comparison_after_confirming(page: Page, tmp_path: Path) -> None:
    upload(page, tmp_path)
    address = page.url

    page.get_by_role("link", name="Delete…").click()
    page.get_by_role("button", name="Delete comparison").click()

    page.wait_for_url(re.compile(r"/$"))
    assert page.goto(address).status == 404  # type: ignore[union-attr]


def test_screenshot_script_photographs_the_comparison_page(
        browser: Browser, live_server: LiveServer, live_editor: str, tmp_path: Path) -> None:
    shot = photograph(browser, live_server.url, tmp_path / "comparison.png", username=live_editor)

    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 1300)
