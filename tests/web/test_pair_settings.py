"""Per-pair settings on the comparison page: the form, re-aligning with it, errors next to the field,
reset, and the page saying how the settings changed the figures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.align import align
from app.models import Pair
from app.services.pairs import reviewer_options
from app.web.templating import percent
from tests.web import constructed
from tests.web.html import one, parse, text_of

HTMX = {"HX-Request": "true"}
DEFAULT_FIGURES = align(constructed.ORIGINAL, constructed.COPY).summary


def stored(session: Session, pair_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The stored options and result of the pair's alignment, read afresh."""
    session.expire_all()
    pair = session.get(Pair, pair_id)
    assert pair is not None and pair.alignment is not None
    return dict(pair.alignment.options), dict(pair.alignment.result)


def post(client: TestClient, pair_id: int, headers: dict[str, str] | None = None, **fields: str) -> Any:
    return client.post(f"/pairs/{pair_id}/settings", data=fields, headers=headers or {},
                       follow_redirects=False)


def test_the_form_shows_the_current_settings_and_posts_to_the_settings_route(
        client: TestClient, constructed_pair: int) -> None:
    soup = parse(client.get(f"/pairs/{constructed_pair}"))

    form = one(soup, "form#settings-form")
    assert form["method"] == "post"
    assert form["action"] == form["hx-post"] == f"/pairs/{constructed_pair}/settings"
    assert form["hx-target"] == "#report"
    field = one(form, "input#min_similarity")
    assert (field["type"], field["value"], field["min"], field["max"]) == ("number", "0.3", "0.1", "0.9")
    assert text_of(one(soup, 'label[for="min_similarity"]')) == "Minimum similarity to link"
    assert one(form, "input#quotes_copied").has_attr("checked")
    assert "Treat quotations as copied" in text_of(one(soup, 'label[for="quotes_copied"]'))
    assert soup.select("[data-settings-effect]") == [] and soup.select("#settings-reset") == []
    folded = one(soup, "details#settings-details")
    assert not folded.has_attr("open")
    assert text_of(one(folded, "summary .settings-now")) == (
        "minimum similarity 0.3 · quotations treated as copied (the defaults)")


def test_a_valid_change_stores_the_options_realigns_and_goes_back_to_the_page(
        client: TestClient, session: Session, constructed_pair: int) -> None:
    response = post(client, constructed_pair, min_similarity="0.9")

    assert response.status_code == 303
    assert response.headers["location"] == f"/pairs/{constructed_pair}"
    options, result = stored(session, constructed_pair)
    expected = reviewer_options(min_similarity=0.9, quotes_copied=False)
    assert options == {"min_similarity": 0.9, "rescue_similarity": expected.rescue_similarity,
                       "quotes_copied": False}
    assert result == align(constructed.ORIGINAL, constructed.COPY, options=expected).to_dict()


def test_the_page_then_states_the_differing_settings_and_the_default_figures(
        client: TestClient, constructed_pair: int) -> None:
    post(client, constructed_pair, min_similarity="0.9", quotes_copied="1")

    soup = parse(client.get(f"/pairs/{constructed_pair}"))

    now = align(constructed.ORIGINAL, constructed.COPY,
                options=reviewer_options(min_similarity=0.9, quotes_copied=True)).summary
    assert text_of(one(soup, ".figure.copy-derived dd")) == percent(now.copy_derived)
    effect = one(soup, "[data-settings-effect]")
    assert "changed" in effect["class"]
    assert text_of(one(effect, "strong")) == "These settings changed the figures."
    assert text_of(one(effect, ".differences")) == "Not the defaults: minimum similarity 0.9 (default 0.3)."
    assert text_of(one(effect, ".default-figures")) == (
        f"With default settings: {percent(DEFAULT_FIGURES.original_reused)} / {percent(DEFAULT_FIGURES.copy_derived)}")
    assert one(soup, "input#min_similarity")["value"] == "0.9"
    assert one(soup, "#settings-reset")
    assert one(soup, "details#settings-details").has_attr("open")
    assert text_of(one(soup, ".settings-now")) == "minimum similarity 0.9 · quotations treated as copied"


def test_a_setting_that_leaves_the_figures_alone_is_still_named(
        client: TestClient, store_pair: Callable[..., int]) -> None:
    text = "The council met on Tuesday evening to discuss the new harbour wall and its cost."
    pair_id = store_pair(text, text)
    post(client, pair_id, min_similarity="0.3")

    effect = one(parse(client.get(f"/pairs/{pair_id}")), "[data-settings-effect]")

    assert "changed" not in effect["class"]
    assert text_of(effect).startswith("These settings leave the figures as they are.")
    assert "quotations not treated as copied (default: treated as copied)" in text_of(effect)
    assert "With default settings: 100% / 100%" in text_of(effect)


def test_htmx_gets_the_realigned_report_in_place(client: TestClient, session: Session,
                                                 constructed_pair: int) -> None:
    response = post(client, constructed_pair, HTMX, min_similarity="0.9", quotes_copied="1",
                    strip_injected="1")
    soup = parse(response)

    assert response.status_code == 200
    assert response.template.name == "partials/report.html"  # type: ignore[attr-defined]
    assert response.headers["vary"] == "HX-Request"
    assert one(soup, "div#report") and soup.find("html") is None
    assert text_of(one(soup, "[data-settings-status]")) == "Settings saved; the pair was aligned again."
    assert one(soup, "[data-settings-effect]")
    assert one(soup, "[data-strip-figures]"), "the view the reviewer was in is kept"
    assert stored(session, constructed_pair)[0]["min_similarity"] == 0.9


def test_the_view_is_kept_across_the_plain_post(client: TestClient, constructed_pair: int) -> None:
    response = post(client, constructed_pair, min_similarity="0.4", quotes_copied="1",
                    hide_verbatim="1", strip_injected="1")

    assert response.headers["location"] == f"/pairs/{constructed_pair}?hide_verbatim=1&strip_injected=1"


@pytest.mark.parametrize(("value", "reason"), [
    ("0.95", "out of range"), ("0.05", "out of range"), ("-1", "out of range"), ("1", "out of range"),
    ("abc", "“abc” is not a number"), ("", "The field is empty"), ("nan", "out of range"), ("inf", "out of range"),
])
def test_an_invalid_value_comes_back_422_with_the_message_next_to_the_field_and_nothing_changed(
        client: TestClient, session: Session, constructed_pair: int, value: str, reason: str) -> None:
    before = stored(session, constructed_pair)

    for headers in ({}, HTMX):
        response = post(client, constructed_pair, headers, min_similarity=value, quotes_copied="1")
        soup = parse(response)

        assert response.status_code == 422
        expected = "pages/pair.html" if not headers else "partials/report.html"
        assert response.template.name == expected  # type: ignore[attr-defined]
        assert one(soup, "details#settings-details").has_attr("open")
        field = one(soup, "input#min_similarity")
        assert field["value"] == value
        assert field["aria-invalid"] == "true"
        error = one(soup, "#min_similarity-error")
        assert "min_similarity-error" in field["aria-describedby"].split()
        assert error.find_parent("div", class_="field") is field.find_parent("div", class_="field")
        assert "enter a number from 0.1 to 0.9" in text_of(error) and reason in text_of(error)
        assert len(soup.select("#rows tr.row")) == len(constructed.ROW_KINDS), "the page is still shown"
    assert stored(session, constructed_pair) == before


def test_a_missing_field_is_an_error_too(client: TestClient, constructed_pair: int) -> None:
    response = post(client, constructed_pair)

    assert response.status_code == 422
    assert "The field is empty" in text_of(one(parse(response), "#min_similarity-error"))


def test_reset_to_defaults_posts_the_defaults_and_clears_the_stored_options(
        client: TestClient, session: Session, constructed_pair: int) -> None:
    post(client, constructed_pair, min_similarity="0.7")
    reset = one(parse(client.get(f"/pairs/{constructed_pair}")), "#settings-reset").find_parent("form")
    fields = {field["name"]: field["value"] for field in reset.select("input[type=hidden]")}
    assert reset["action"] == reset["hx-post"] == f"/pairs/{constructed_pair}/settings"
    assert (fields["min_similarity"], fields["quotes_copied"]) == ("0.3", "1")

    response = post(client, constructed_pair, **fields)

    assert response.status_code == 303
    options, result = stored(session, constructed_pair)
    assert options == {}
    assert result == align(constructed.ORIGINAL, constructed.COPY).to_dict()
    soup = parse(client.get(response.headers["location"]))
    assert soup.select("[data-settings-effect]") == [] and soup.select("#settings-reset") == []


def test_settings_for_an_unknown_pair_are_a_404(client: TestClient) -> None:
    response = client.post("/pairs/4242/settings", data={"min_similarity": "0.5"})

    assert response.status_code == 404
    assert response.template.name == "pages/error.html"  # type: ignore[attr-defined]
