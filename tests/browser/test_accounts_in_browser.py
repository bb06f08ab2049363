"""Real chromium on accounts: logging in through the login page and out again, and a checker who
neither sees a Delete button nor gets a forged delete through."""

from __future__ import annotations

import json
import re

from playwright.sync_api import Page, expect

from app.db import make_engine, make_sessionmaker
from app.models import Pair
from tests.browser.live_server import LiveServer, log_in_page


def test_a_user_logs_in_sees_their_name_and_logs_out(page: Page, base_url: str, live_editor: str) -> None:
    page.goto("/pairs/new")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fpairs%2Fnew$"))
    page.get_by_label("Username").fill(live_editor)
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#login-error")).to_have_text("Wrong username or password")

    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(re.compile(r"/pairs/new$"))
    expect(page.locator(".who-name")).to_have_text(live_editor)
    expect(page.locator(".who-role")).to_have_text("(editor)")
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login"))
    expect(page.locator(".who-name")).to_have_count(0)


def test_a_checker_sees_no_delete_button_and_a_forged_delete_is_refused(
        page: Page, base_url: str, live_server: LiveServer, live_checker: str, constructed_pair: str) -> None:
    log_in_page(page, base_url, live_checker)
    page.goto(constructed_pair)
    expect(page.locator("h1")).to_be_visible()
    expect(page.get_by_role("link", name="Delete…")).to_have_count(0)
    csrf = json.loads(page.locator("body").get_attribute("hx-headers") or "{}")["X-CSRF-Token"]

    forged = page.request.post(f"{constructed_pair}/delete", form={"csrf_token": csrf}, max_redirects=0)

    assert forged.status == 403
    assert "Your role (checker) may not do this" in forged.text()
    engine = make_engine(live_server.database_url)
    try:
        with make_sessionmaker(engine)() as session:
            assert session.get(Pair, int(constructed_pair.rsplit("/", 1)[1])) is not None
    finally:
        engine.dispose()
    assert page.goto(constructed_pair).status == 200  # type: ignore[union-attr]
