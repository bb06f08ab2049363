"""Real chromium against a live server: log in, select words in the copy, add a note through the
floating "Add note" button, reply, confirm it, reload and find it all again; hostile note bodies
stay text; a checker has no way to delete a pair, and a forged request is refused."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

import pytest
from playwright.sync_api import Dialog, Page, expect

from app.auth.passwords import hash_password
from app.db import make_engine, make_sessionmaker
from app.models import User
from tests.browser.live_server import LiveServer
from tests.web import constructed

PASSWORD = "correct horse battery"
RAIN = "rain soaked the northern region"
PAYLOAD = "<script>alert(1)</script>\n<img src=x onerror=alert(1)>"

# Selects `phrase` inside the element `selector` the way a reader's drag does: a Range over the
# article's text nodes (the labels marked data-extra are not part of the text), set as the
# document's selection, so the page's own selectionchange handler reacts to it.
SELECT = """([selector, phrase]) => {
  const container = document.querySelector(selector);
  const nodes = [];
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    if (!walker.currentNode.parentElement.closest('[data-extra]')) nodes.push(walker.currentNode);
  }
  const text = nodes.map(n => n.data).join('');
  const from = text.indexOf(phrase);
  if (from < 0) throw new Error('not in the cell: ' + JSON.stringify(text));
  const point = (offset, end) => {
    let seen = 0;
    for (const n of nodes) {
      if (offset < seen + n.data.length || (end && offset === seen + n.data.length)) return [n, offset - seen];
      seen += n.data.length;
    }
  };
  const range = document.createRange();
  range.setStart(...point(from, false));
  range.setEnd(...point(from + phrase.length, true));
  window.getSelection().removeAllRanges();
  window.getSelection().addRange(range);
}"""


@pytest.fixture
def account(live_server: LiveServer) -> Callable[[str], str]:
    """``account("checker")``: a new account with that role on the live server; its name."""
    engine = make_engine(live_server.database_url)

    def make(role: str) -> str:
        name = f"{role}-{secrets.token_hex(4)}"
        with make_sessionmaker(engine)() as session:
            session.add(User(username=name, password_hash=hash_password(PASSWORD), role=role))
            session.commit()
        return name

    yield make  # type: ignore[misc]
    engine.dispose()


@pytest.fixture
def dialogs(page: Page) -> list[str]:
    """Every alert/confirm the page opens (none should: nothing runs a user's text)."""
    opened: list[str] = []

    def record(dialog: Dialog) -> None:
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return opened


def log_in(page: Page, name: str, path: str) -> None:
    page.goto(f"/login?next={path}")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(re.escape(path) + "$"))


def test_a_checker_notes_a_selection_replies_confirms_it_and_finds_it_all_after_a_reload(
        page: Page, constructed_pair: str, account: Callable[[str], str], dialogs: list[str]) -> None:
    log_in(page, account("checker"), constructed_pair)
    page.evaluate("window.stillTheSamePage = true")
    row = page.locator("#block-4")

    page.evaluate(SELECT, ["#block-4 td.cell-copy .text", RAIN])
    add = page.locator("button.add-note")
    expect(add).to_be_visible()
    add.click()
    form = row.locator("form.note-form")
    expect(form.locator("blockquote")).to_have_text(RAIN)
    expect(form.get_by_label("Label")).to_be_focused()
    form.get_by_label("Label").select_option(label="Changed fact")
    form.get_by_label("Note").fill(PAYLOAD)
    form.get_by_role("button", name="Add note").click()

    card = row.locator("article.note-card")
    expect(card.locator(".note-body")).to_have_text(PAYLOAD)
    expect(card.locator(".note-label")).to_have_text("Changed fact")
    expect(card).to_be_focused()
    highlight = row.locator("td.cell-copy mark.note-mark")
    expect(highlight).to_have_count(1)
    assert highlight.evaluate("m => [...m.childNodes].filter(n => !n.matches || !n.matches('[data-extra]'))"
                              ".map(n => n.textContent).join('')") == RAIN
    card.get_by_label("Reply").fill("The original says it rained for a week.")
    card.get_by_role("button", name="Reply").click()
    expect(card.locator(".reply-body")).to_have_text("The original says it rained for a week.")
    card.get_by_role("button", name="Confirm").click()
    expect(card.locator(".note-status")).to_have_text("Status: Confirmed")
    expect(page.locator("#activity li").first).to_contain_text("confirmed")
    assert page.evaluate("window.stillTheSamePage") is True

    page.reload()

    card = page.locator("#block-4 article.note-card")
    expect(card.locator(".note-body")).to_have_text(PAYLOAD)
    expect(card.locator(".reply-body")).to_have_text("The original says it rained for a week.")
    expect(card.locator(".note-status")).to_have_text("Status: Confirmed")
    expect(page.locator("#block-4 td.cell-copy mark.note-mark a.note-ref")).to_have_attribute(
        "href", re.compile(r"^#note-\d+$"))
    assert page.locator("#block-4 img, #block-4 script").count() == 0
    assert dialogs == []


def test_offsets_of_a_selection_are_the_articles_own_across_a_crlf_line_break(
        page: Page, constructed_pair: str, account: Callable[[str], str]) -> None:
    log_in(page, account("editor"), constructed_pair)
    phrase = "same.\r\nIt has"
    start = constructed.COPY.index(phrase)

    page.evaluate(SELECT, ["#block-1 td.cell-copy .text", phrase])
    # The page has seen the selection once its "Add note" button shows; then the key opens the form.
    expect(page.locator("button.add-note")).to_be_visible()
    page.keyboard.press("n")

    form = page.locator("#block-1 form.note-form")
    expect(form.locator("input[name=start]")).to_have_value(str(start))
    expect(form.locator("input[name=end]")).to_have_value(str(start + len(phrase)))
    form.get_by_label("Note").fill("Spans the line break.")
    form.get_by_role("button", name="Add note").click()
    expect(page.locator("#block-1 article.note-card .note-body")).to_have_text("Spans the line break.")


def test_a_checker_has_no_delete_button_and_a_forged_delete_is_refused(
        page: Page, constructed_pair: str, account: Callable[[str], str]) -> None:
    log_in(page, account("checker"), constructed_pair)

    expect(page.locator("h1")).to_have_text("Bridge to close ↔ Bridge closing, says mayor")
    expect(page.get_by_role("link", name="Delete…")).to_have_count(0)
    expect(page.locator("#verdict form")).to_have_count(0)
    token = page.evaluate("JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRF-Token']")
    forged = page.request.post(f"{constructed_pair}/delete", headers={"X-CSRF-Token": token},
                               max_redirects=0)

    assert forged.status == 403
    page.reload()
    expect(page.locator("h1")).to_have_text("Bridge to close ↔ Bridge closing, says mayor")
