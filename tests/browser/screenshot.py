"""The README's screenshot: the comparison page of a sample pair, taken in real headless chromium.

Regenerate docs/comparison.png with::

    .venv/bin/python -m tests.browser.screenshot            # writes docs/comparison.png
    .venv/bin/python -m tests.browser.screenshot out.png    # anywhere else

It starts the app on a throw-away database, submits the pair in tests/browser/sample/ through the
form like an editor would, scrolls to the list of changed facts, focuses the first fact marked in
the rows (showing its original wording), and photographs the page at 1280 px wide.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

from app.config import PROJECT_ROOT
from tests.browser.live_server import LiveServer, log_in_page
from tests.conftest import CHROMIUM

SAMPLE = Path(__file__).resolve().parent / "sample"
DEFAULT_OUTPUT = PROJECT_ROOT / "docs" / "comparison.png"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 1300}


def submit_sample(page: Page, base_url: str) -> None:
    """Fill in the form with the sample pair and land on its comparison page."""
    page.goto(f"{base_url}/pairs/new")
    page.fill("#original_title", "Harbour town votes to rebuild the old lighthouse")
    page.fill("#original_source_url", "https://coastal-ledger.example/news/gull-point-lighthouse")
    page.set_input_files("#original_file", str(SAMPLE / "original.txt"))
    page.fill("#copy_title", "Seaside town will rebuild its famous lighthouse")
    page.fill("#copy_source_url", "https://viral-daily.example/2026/lighthouse-rebuild")
    page.set_input_files("#copy_file", str(SAMPLE / "copy.txt"))
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("button", name="Save and compare").click()
    page.wait_for_url(re.compile(r"/pairs/\d+$"))


def show_changed_facts(page: Page) -> None:
    """Scroll the list of changed facts to the top and focus the first fact marked in the rows,
    so the picture shows the list, marked rows and one fact's original wording."""
    page.locator(".facts").evaluate(
        "section => window.scrollTo({top: section.getBoundingClientRect().top + window.scrollY - 12,"
        " behavior: 'instant'})")
    first = page.locator("#rows mark.fact[tabindex]").first
    if first.count():
        first.evaluate("mark => mark.focus({preventScroll: true})")


def photograph(browser: Browser, base_url: str, output: Path, *, username: str) -> Path:
    """Log in as ``username`` (an editor), submit the sample pair to the app at ``base_url`` and
    save its comparison page as a PNG."""
    output.parent.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1, color_scheme="light")
    try:
        page = context.new_page()
        log_in_page(page, base_url, username)
        submit_sample(page, base_url)
        show_changed_facts(page)
        page.screenshot(path=str(output), full_page=False, animations="disabled", caret="hide")
    finally:
        context.close()
    return output


def take_screenshot(output: Path = DEFAULT_OUTPUT) -> Path:
    """Start the app and chromium, write the screenshot to ``output`` and return its path."""
    with tempfile.TemporaryDirectory(prefix="copydesk-shot-") as folder, LiveServer(Path(folder)) as server, \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return photograph(browser, server.url, output, username=server.add_user("editor", "editor"))
        finally:
            browser.close()


def main(argv: list[str]) -> int:
    output = Path(argv[0]) if argv else DEFAULT_OUTPUT
    print(take_screenshot(output))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
