"""Real chromium on the new-comparison form: upload a Word file and paste a text, check the preview,
delete a leftover line, save, and find the edited text on the comparison page."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.usefixtures("editor_logged_in")

LEFTOVER = "Share this article on social media"
PARAGRAPHS = ["The harbour wall will be rebuilt before the winter storms.",
              "Work starts in March and will cost 12 million.",
              LEFTOVER]
COPY = ("The harbour wall will be rebuilt before the winter storms.\n\n"
        "Work starts in March and will cost 15 million.\n\nSubscribe to our newsletter.")


def word_file(path: Path) -> Path:
    document = docx.Document()
    document.core_properties.title = "Harbour wall to be rebuilt"
    for paragraph in PARAGRAPHS:
        document.add_paragraph(paragraph)
    document.save(str(path))
    return path


def test_an_editor_uploads_a_word_file_corrects_the_preview_and_saves(page: Page, tmp_path: Path) -> None:
    page.goto("/pairs/new")
    page.locator("#original_file").set_input_files(str(word_file(tmp_path / "harbour.docx")))
    page.locator("#copy_title").fill("Harbour wall (copied)")
    page.locator("#copy_text").fill(COPY)
    page.get_by_role("button", name="Preview").click()

    expect(page.locator("h1")).to_have_text("Check the texts")
    expect(page.locator("#original_read_from")).to_contain_text("The file harbour.docx")
    expect(page.locator("#original_read_from")).to_contain_text("Word document (.docx)")
    expect(page.locator("#original_title")).to_have_value("Harbour wall to be rebuilt")
    original = page.locator("#original_text")
    expect(original).to_have_value("\n\n".join(PARAGRAPHS))
    corrected = original.input_value().replace(f"\n\n{LEFTOVER}", "")
    original.fill(corrected)
    page.get_by_role("button", name="Save and compare").click()

    page.wait_for_url(re.compile(r"/pairs/\d+$"))
    expect(page.locator("h1")).to_have_text("Harbour wall to be rebuilt ↔ Harbour wall (copied)")
    rows = page.locator("#rows")
    expect(rows.locator(".cell-original .text").first).to_have_text(PARAGRAPHS[0])
    expect(rows.locator(".cell-original")).to_contain_text(["Work starts in March"])
    expect(rows).not_to_contain_text(LEFTOVER)
    expect(rows).to_contain_text("Subscribe to our newsletter.")
