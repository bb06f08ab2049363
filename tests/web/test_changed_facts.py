"""Changed facts on the comparison page: marked on both sides of their row, the original wording on
hover and focus, a list at the top that links to each one, and counts per kind."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup, Tag
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.align import ENGINE_VERSION, Alignment, Block, Change, Relation, WordOp, summarise
from app.services.pairs import get_pair
from tests.web import constructed
from tests.web.html import cell_text, one, parse, text_of
from tests.web.test_escaping import SCRIPT, injected_markup

HTMX = {"HX-Request": "true"}


def page(client: TestClient, pair_id: int, query: str = "") -> BeautifulSoup:
    response = client.get(f"/pairs/{pair_id}{query}")
    assert response.status_code == 200
    return parse(response)


def copy_mark(soup: BeautifulSoup, number: int) -> Tag:
    return one(soup, f"#fact-{number}")


def test_every_fact_is_marked_in_the_copy_cell_of_its_row_with_its_kind(
        client: TestClient, constructed_pair: int) -> None:
    soup = page(client, constructed_pair)

    for number, (kind, _, _, row) in enumerate(constructed.FACTS, start=1):
        mark = copy_mark(soup, number)
        assert mark.name == "mark"
        assert {"fact", f"fact-{kind}"} <= set(mark["class"])
        assert mark["data-kind"] == kind
        assert mark.find_parent("td")["class"][:2] == ["cell", "cell-copy"]
        assert mark.find_parent("tr")["data-row"] == str(row)


def test_copy_side_marks_show_the_original_wording_on_hover_and_keyboard_focus(
        client: TestClient, constructed_pair: int) -> None:
    soup = page(client, constructed_pair)

    mark = copy_mark(soup, 3)
    assert mark["tabindex"] == "0"
    assert mark["title"] == "Original: State Department"
    tip = one(soup, f"#{mark['aria-describedby']}")
    assert tip.find_parent("mark") is mark
    assert text_of(tip) == "Original: State Department"
    assert tip["role"] == "tooltip"
    assert text_of(one(mark, ":scope > abbr.fact-kind")) == "Name"
    assert one(mark, ":scope > abbr.fact-kind")["title"]


def test_original_side_marks_carry_the_kind_and_the_copys_wording_but_no_focus_stop(
        client: TestClient, constructed_pair: int) -> None:
    soup = page(client, constructed_pair)
    original_cell = one(soup, "#block-6 td.cell-original")

    marks = original_cell.select("mark.fact")
    assert sorted(int(m["data-fact"]) for m in marks) == [2, 3, 4, 5, 6]
    reeker = one(original_cell, 'mark.fact[data-fact="5"]')
    assert "fact-name" in reeker["class"]
    assert reeker["title"] == "In the copy: Riger"
    assert text_of(one(reeker, "abbr.fact-kind")) == "Name"
    assert all(not m.has_attr("tabindex") and not m.has_attr("id") for m in marks)
    assert one(one(soup, "#block-2 td.cell-original"), "mark.fact-date")["title"] == "In the copy: Tuesday"


def test_facts_are_told_apart_from_wording_differences(client: TestClient, constructed_pair: int) -> None:
    soup = page(client, constructed_pair)
    mayor = one(soup, "#block-2")

    # "Monday" -> "Tuesday" is both a word difference and a changed date: both marks, nested.
    date = one(mayor, "td.cell-copy mark.fact")
    assert one(date, "ins").get_text() == "Tuesday"
    assert one(one(mayor, "td.cell-original mark.fact"), "del").get_text() == "Monday"
    # "old" is only a word difference.
    assert [i.get_text() for i in mayor.select("td.cell-copy ins") if not i.find_parent("mark")] == ["old"]


def test_a_name_inside_a_changed_quotation_nests_inside_the_quotation_mark(
        client: TestClient, constructed_pair: int) -> None:
    soup = page(client, constructed_pair)

    quote = copy_mark(soup, 2)
    assert "fact-quote" in quote["class"]
    name = copy_mark(soup, 3)
    assert name.find_parent("mark", class_="fact-quote") is quote
    assert cell_text(name) == "Foreign Ministry"
    assert cell_text(quote) == "\u201cThe Foreign Ministry will fund it SHARE THIS,\u201d"
    injected = one(quote, "mark.injected")
    assert injected.get_text() == "SHARE THIS"
    assert not injected.select("ins"), "injected text is not marked as added words as well"
    original_quote = one(soup, '#block-6 td.cell-original mark.fact-quote')
    assert one(original_quote, 'mark.fact[data-fact="3"] del').get_text() == "State Department"


def test_a_dropped_word_is_an_empty_mark_at_its_place_that_still_shows_the_original(
        client: TestClient, constructed_pair: int) -> None:
    soup = page(client, constructed_pair)

    negation = copy_mark(soup, 4)
    assert "point" in negation["class"]
    assert cell_text(negation) == ""
    assert text_of(one(negation, ".fact-other")) == "Original: not"
    assert text_of(one(negation, "abbr.fact-kind")) == "Negation"


def test_marks_leave_the_cell_text_exactly_as_written(client: TestClient, constructed_pair: int) -> None:
    soup = page(client, constructed_pair)

    quote_row = one(soup, "#block-6")
    assert cell_text(one(quote_row, "td.cell-copy .text")) == constructed.COPY[slice(*constructed.C_QUOTE_PARA)]
    assert cell_text(one(quote_row, "td.cell-original .text")) == \
        constructed.ORIGINAL[slice(*constructed.O_QUOTE_PARA)]


def test_the_list_at_the_top_names_every_fact_with_kind_both_wordings_and_row(
        client: TestClient, constructed_pair: int) -> None:
    soup = page(client, constructed_pair)

    assert text_of(one(soup, "#facts-heading")) == "Changed facts (6)"
    items = soup.select(".fact-list > li")
    assert [item["data-kind"] for item in items] == [kind for kind, *_ in constructed.FACTS]
    for item, (kind, original, copy, row) in zip(items, constructed.FACTS, strict=True):
        assert f"fact-{kind}" in item["class"]
        assert text_of(one(item, ".fact-from")).removeprefix("original: ") == (original or "(not in the original)")
        assert text_of(one(item, ".fact-to")).removeprefix(", in the copy: ") == (copy or "(left out)")
        assert text_of(one(item, ".fact-row")) == f"row {row}"
    assert text_of(one(items[2], ".fact-kind")) == "Name"


def test_every_link_of_the_list_lands_on_the_copy_side_mark_of_its_fact(
        client: TestClient, constructed_pair: int) -> None:
    soup = page(client, constructed_pair)

    links = soup.select(".fact-list a.fact-link")
    assert [link["href"] for link in links] == [f"#fact-{n}" for n in range(1, 7)]
    for link in links:
        target = one(soup, link["href"])
        assert target.name == "mark" and target["tabindex"] == "0"
        assert target.find_parent("td")["class"][1] == "cell-copy"
    ids = [tag["id"] for tag in soup.select("[id]")]
    assert len(ids) == len(set(ids)), "ids on the page are unique"


def test_the_summary_bar_counts_changed_facts_per_kind(client: TestClient, constructed_pair: int) -> None:
    soup = page(client, constructed_pair)

    counts = {item["data-kind"]: (text_of(one(item, ".count")), text_of(one(item, ".label")))
              for item in soup.select(".summary .fact-counts .fact-count")}
    assert counts == {"name": ("2", "Names"), "number": ("1", "Number"), "date": ("1", "Date"),
                      "quote": ("1", "Quote"), "negation": ("1", "Negation")}


def test_rows_say_how_many_facts_changed_and_keep_their_note_and_score(
        client: TestClient, constructed_pair: int) -> None:
    soup = page(client, constructed_pair)

    quote_row = one(soup, "#block-6")
    assert "has-facts" in quote_row["class"]
    assert text_of(one(quote_row, ".facts-note")) == "5 changed facts"
    assert text_of(one(quote_row, ".score")) == "74%"
    assert text_of(one(one(soup, "#block-0"), ".note")) == "moved from paragraph 5"


def test_hiding_verbatim_rows_keeps_every_fact_the_list_links_to(
        client: TestClient, constructed_pair: int) -> None:
    for headers in ({}, HTMX):
        response = client.get(f"/pairs/{constructed_pair}?hide_verbatim=1", headers=headers)
        soup = parse(response)
        for link in soup.select(".fact-list a.fact-link"):
            assert soup.select(link["href"]), link["href"]


def test_the_htmx_partial_carries_the_facts_list_and_the_marks(client: TestClient, constructed_pair: int) -> None:
    response = client.get(f"/pairs/{constructed_pair}", headers=HTMX)
    soup = parse(response)

    assert response.template.name == "partials/report.html"  # type: ignore[attr-defined]
    assert soup.find("html") is None
    assert len(soup.select(".fact-list > li")) == 6
    assert one(soup, "#fact-3")


def store_alignment(session: Session, pair_id: int, alignment: Alignment) -> None:
    stored = get_pair(session, pair_id).alignment
    assert stored is not None
    stored.engine_version = ENGINE_VERSION
    stored.result = alignment.to_dict()
    session.commit()


def one_block_alignment(original: str, copy: str, changes: tuple[Change, ...],
                        diff: tuple[WordOp, ...] = ()) -> Alignment:
    blocks = (Block(Relation.EDITED, (0, len(original)), (0, len(copy)), 0.8, (0,), (0,), diff=diff),)
    return Alignment(len(original), len(copy), ((0, len(original)),), ((0, len(copy)),), blocks,
                     changes, summarise(original, copy, blocks), ENGINE_VERSION)


def test_a_change_whose_texts_hold_markup_is_shown_as_text(
        client: TestClient, session: Session, store_pair: Callable[..., int]) -> None:
    original = f"The minister {SCRIPT} spoke on Monday."
    copy = f"The minister {SCRIPT}<b> spoke on Friday."
    pair_id = store_pair(original, copy)
    start = copy.index(SCRIPT)
    change = Change("name", (original.index(SCRIPT), original.index(SCRIPT) + len(SCRIPT)),
                    (start, start + len(SCRIPT) + 3), SCRIPT, f"{SCRIPT}<b>", 0, f"name: {SCRIPT}")
    store_alignment(session, pair_id, one_block_alignment(original, copy, (change,)))

    for headers in ({}, HTMX):
        response = client.get(f"/pairs/{pair_id}", headers=headers)
        assert injected_markup(response.text) == []
        assert SCRIPT not in response.text
        soup = parse(response)
        assert soup.find("b") is None
        mark = one(soup, "#fact-1")
        assert cell_text(mark) == f"{SCRIPT}<b>"
        assert mark["title"] == f"Original: {SCRIPT}"
        assert text_of(one(mark, ".fact-other")) == f"Original: {SCRIPT}"
        assert text_of(one(soup, ".fact-list .fact-to")) == f", in the copy: {SCRIPT}<b>"


def test_a_fact_crossing_a_word_difference_cuts_the_difference_not_the_fact(
        client: TestClient, session: Session, store_pair: Callable[..., int]) -> None:
    original = "Police said 12 people died in Baku on Monday."
    copy = "Police said at least 21 people died in Baku on Monday."
    pair_id = store_pair(original, copy)
    at_least_21 = (copy.index("at least"), copy.index("21") + 2)
    fact = Change("number", (original.index("12"), original.index("12") + 2),
                  (copy.index("21"), copy.index(" died")), "12", "21 people", 0)
    store_alignment(session, pair_id, one_block_alignment(
        original, copy, (fact,), diff=(WordOp("replace", fact.original, at_least_21),)))

    soup = page(client, pair_id)

    mark = one(soup, "#fact-1")
    assert cell_text(mark) == "21 people"
    assert [i.get_text() for i in soup.select("td.cell-copy ins")] == ["at least ", "21"]
    assert one(mark, "ins").get_text() == "21"
    assert cell_text(one(soup, "td.cell-copy .text")) == copy


def test_a_change_outside_every_row_is_listed_without_a_link(
        client: TestClient, session: Session, store_pair: Callable[..., int]) -> None:
    original, copy = "Short original text.", "Short copy text."
    pair_id = store_pair(original, copy)
    stray = Change("number", (100, 102), (200, 202), "12", "21", None)
    store_alignment(session, pair_id, one_block_alignment(original, copy, (stray,)))

    soup = page(client, pair_id)

    item = one(soup, ".fact-list > li")
    assert item.select("a") == []
    assert "unplaced" in one(item, ".fact-link")["class"]
    assert soup.select("#rows mark.fact") == []


def test_a_change_whose_block_index_is_wrong_is_still_placed_by_its_spans(
        client: TestClient, constructed_pair: int, session: Session) -> None:
    moved = tuple(Change(c.kind, c.original, c.copy, c.original_text, c.copy_text, 99, c.note)
                  for c in constructed.CHANGES)
    store_alignment(session, constructed_pair, Alignment(
        constructed.ALIGNMENT.original_length, constructed.ALIGNMENT.copy_length,
        constructed.ALIGNMENT.original_paragraphs, constructed.ALIGNMENT.copy_paragraphs,
        constructed.BLOCKS, moved, constructed.ALIGNMENT.summary, ENGINE_VERSION))

    soup = page(client, constructed_pair)

    assert [text_of(one(item, ".fact-row")) for item in soup.select(".fact-list > li")] == [
        f"row {row}" for *_, row in constructed.FACTS]
    assert one(one(soup, "#block-6"), "#fact-3")


def test_a_pair_without_changed_facts_says_so(client: TestClient, store_pair: Callable[..., int]) -> None:
    text = "The council met on Tuesday evening to discuss the new harbour wall and its cost."
    soup = page(client, store_pair(text, text))

    assert soup.select(".fact-list") == [] and soup.select(".fact-counts") == []
    assert "No changed" in text_of(one(soup, ".facts .no-facts"))


@pytest.mark.parametrize("copy", [
    "The council met on Tuesday evening to discuss the new harbour wall and its cost of 12 million.",
    "The council met on Friday evening to discuss the new harbour wall and its cost of 21 million.",
])
def test_whatever_facts_the_engine_finds_every_listed_link_has_its_target(
        client: TestClient, store_pair: Callable[..., int], copy: str) -> None:
    original = "The council met on Tuesday evening to discuss the new harbour wall and its cost of 12 million."
    soup = page(client, store_pair(original, copy))

    for link in soup.select(".fact-list a.fact-link"):
        assert "fact" in one(soup, link["href"])["class"]
    ids = [tag["id"] for tag in soup.select("[id]")]
    assert len(ids) == len(set(ids))
