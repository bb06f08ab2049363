"""The strip-injected view: the copy without its injected runs, and the figures recomputed without them."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from app.align import summarise
from app.web.templating import percent
from tests.web import constructed
from tests.web.html import one, parse, text_of

HTMX = {"HX-Request": "true"}
FULL = constructed.ALIGNMENT.summary
STRIPPED = summarise(constructed.ORIGINAL, constructed.COPY, constructed.BLOCKS, strip_injected=True)


def test_the_figures_are_different_without_the_injected_runs() -> None:
    """The premise of the tests below: stripping moves the copy's figure."""
    assert percent(STRIPPED.copy_derived) != percent(FULL.copy_derived)


def test_the_page_offers_the_strip_toggle_as_a_link_and_to_htmx(client: TestClient, constructed_pair: int) -> None:
    soup = parse(client.get(f"/pairs/{constructed_pair}"))

    toggle = one(soup, "#strip-toggle")
    assert text_of(toggle) == "Strip injected text"
    assert toggle.name == "a"
    assert toggle["href"] == toggle["hx-get"] == f"/pairs/{constructed_pair}?strip_injected=1"
    assert toggle["hx-target"] == "#report" and toggle["hx-push-url"] == "true"
    assert text_of(one(soup, ".figure.copy-derived dd")) == percent(FULL.copy_derived)
    assert soup.select("[data-strip-figures]") == []
    assert len(soup.select("td.cell-copy mark.injected")) == 2


def test_without_javascript_the_link_shows_the_whole_page_with_the_runs_struck_and_figures_recomputed(
        client: TestClient, constructed_pair: int) -> None:
    response = client.get(f"/pairs/{constructed_pair}?strip_injected=1")
    soup = parse(response)

    assert response.status_code == 200
    assert response.template.name == "pages/pair.html"  # type: ignore[attr-defined]
    assert response.headers["vary"] == "HX-Request"
    struck = soup.select("td.cell-copy del.injected.stripped")
    assert [mark.get_text() for mark in struck] == ["Subscribe now!", "SHARE THIS"]
    assert soup.select("td.cell-copy mark.injected") == []
    assert text_of(one(soup, ".figure.copy-derived dd")) == percent(STRIPPED.copy_derived)
    assert text_of(one(soup, ".figure.original-reused dd")) == percent(STRIPPED.original_reused)
    assert text_of(one(soup, "[data-strip-figures]")) == (
        f"Copy derived {percent(FULL.copy_derived)} → {percent(STRIPPED.copy_derived)} without injected text.")
    assert "without injected text" in text_of(one(soup, ".figure.copy-derived dt"))
    toggle = one(soup, "#strip-toggle")
    assert text_of(toggle) == "Show injected text"
    assert toggle["href"] == f"/pairs/{constructed_pair}"


def test_htmx_gets_the_report_partial_with_the_same_recomputed_figures(
        client: TestClient, constructed_pair: int) -> None:
    response = client.get(f"/pairs/{constructed_pair}?strip_injected=1", headers=HTMX)
    soup = parse(response)

    assert response.status_code == 200
    assert response.template.name == "partials/report.html"  # type: ignore[attr-defined]
    assert response.headers["vary"] == "HX-Request"
    assert soup.find("html") is None and soup.find("header", class_="pair-head") is None
    assert one(soup, "div#report")
    assert text_of(one(soup, ".figure.copy-derived dd")) == percent(STRIPPED.copy_derived)
    assert one(soup, "[data-strip-figures]")
    assert len(soup.select("del.injected.stripped")) == 2


def test_stripping_keeps_facts_and_text_inside_the_struck_runs(client: TestClient, constructed_pair: int) -> None:
    soup = parse(client.get(f"/pairs/{constructed_pair}?strip_injected=1"))

    quote = one(soup, "#fact-2")
    assert one(quote, "del.injected.stripped").get_text() == "SHARE THIS"
    assert len(soup.select(".fact-list a.fact-link")) == 6


def test_the_two_toggles_keep_each_other(client: TestClient, constructed_pair: int) -> None:
    soup = parse(client.get(f"/pairs/{constructed_pair}?strip_injected=1&hide_verbatim=1"))

    assert one(soup, "#verbatim-toggle")["href"] == f"/pairs/{constructed_pair}?strip_injected=1"
    assert one(soup, "#strip-toggle")["href"] == f"/pairs/{constructed_pair}?hide_verbatim=1"
    assert one(soup, "tr.gap a")["href"] == f"/pairs/{constructed_pair}?strip_injected=1"
    assert one(soup, '#settings-form input[name="strip_injected"]')["value"] == "1"
    assert one(soup, '#settings-form input[name="hide_verbatim"]')["value"] == "1"
    assert soup.select("tr.rel-verbatim") == []


def test_a_copy_without_injected_text_has_no_strip_toggle(client: TestClient, store_pair: Callable[..., int]) -> None:
    text = "The council met on Tuesday evening to discuss the new harbour wall and its cost."
    pair_id = store_pair(text, text)

    assert parse(client.get(f"/pairs/{pair_id}")).select("#strip-toggle") == []
    soup = parse(client.get(f"/pairs/{pair_id}?strip_injected=1"))
    assert one(soup, "#strip-toggle")["href"] == f"/pairs/{pair_id}", "a way back from the address"
    assert text_of(one(soup, "[data-strip-figures]")) == "Copy derived 100% → 100% without injected text."
