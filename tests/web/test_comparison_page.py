"""The comparison page /pairs/{id}: rows, labels, marks, summary, and the hide-verbatim toggle."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.align import ENGINE_VERSION, Alignment, Block, Relation, summarise
from app.services.pairs import get_pair
from app.web.templating import percent
from tests.web import constructed
from tests.web.constructed import paragraphs
from tests.web.html import cell_text, one, parse, text_of

HTMX = {"HX-Request": "true"}


def test_comparison_page_has_one_row_per_top_level_block_in_copy_order(
        client: TestClient, constructed_pair: int) -> None:
    response = client.get(f"/pairs/{constructed_pair}")

    assert response.status_code == 200
    assert response.template.name == "pages/pair.html"  # type: ignore[attr-defined]
    rows = parse(response).select("#rows tr.row")
    assert [row["data-kind"] for row in rows] == constructed.ROW_KINDS
    assert [row["id"] for row in rows] == [f"block-{index}" for index in constructed.ROW_BLOCKS]
    assert [row["data-row"] for row in rows] == [str(n) for n in range(1, len(rows) + 1)]


def test_every_row_carries_its_kind_as_class_label_and_score(client: TestClient, constructed_pair: int) -> None:
    rows = parse(client.get(f"/pairs/{constructed_pair}")).select("#rows tr.row")

    for row, kind in zip(rows, constructed.ROW_KINDS, strict=True):
        assert f"rel-{kind}" in row["class"]
        assert text_of(one(row, ".meta .label")) == kind.capitalize()
        assert one(row, ".meta .score")
    scores = [text_of(one(row, ".score")) for row in rows]
    assert scores == ["100%", "100%", "82%", "41%", "no score", "74%", "no score"]
    assert [text_of(one(row, ".row-number")) for row in rows] == [f"Row {n}" for n in range(1, 8)]


def test_inserted_row_has_an_empty_original_cell_and_omitted_row_an_empty_copy_cell(
        client: TestClient, constructed_pair: int) -> None:
    soup = parse(client.get(f"/pairs/{constructed_pair}"))
    inserted, omitted = one(soup, "tr.rel-inserted"), one(soup, "tr.rel-omitted")

    assert "cell-empty" in one(inserted, "td.cell-original")["class"]
    assert one(inserted, "td.cell-original").get_text() == ""
    assert one(inserted, "td.cell-copy .text").get_text() == "A brand-new paragraph."
    assert "cell-empty" in one(omitted, "td.cell-copy")["class"]
    assert one(omitted, "td.cell-copy").get_text() == ""
    assert one(omitted, "td.cell-original .text").get_text() == "A dropped paragraph nobody copied."


def test_cells_hold_the_exact_paragraph_text_with_its_line_breaks(client: TestClient, constructed_pair: int) -> None:
    response = client.get(f"/pairs/{constructed_pair}")
    verbatim = parse(response).select("tr.rel-verbatim")[1]

    expected = "Alpha paragraph stays the same.\r\nIt has a second line."
    assert one(verbatim, "td.cell-original .text").get_text() == expected
    assert one(verbatim, "td.cell-copy .text").get_text() == expected
    # The carriage return is a character reference: an HTML parser would drop a raw one, and a
    # note's offsets count it.
    assert '>Alpha paragraph stays the same.&#13;\nIt has a second line.</div>' in response.text


def test_edited_row_marks_deleted_words_in_the_original_and_added_words_in_the_copy(
        client: TestClient, constructed_pair: int) -> None:
    edited = one(parse(client.get(f"/pairs/{constructed_pair}")), "#block-2")
    original, copy = one(edited, "td.cell-original"), one(edited, "td.cell-copy")

    assert [d.get_text() for d in original.select("del")] == ["firmly", "Monday"]
    assert [i.get_text() for i in copy.select("ins")] == ["Tuesday", "old"]
    assert not original.select("ins") and not copy.select("del")
    assert cell_text(original) == "The mayor firmly said on Monday that the bridge will close."
    assert cell_text(copy) == "The mayor said on Tuesday that the old bridge will close. Subscribe now!"


def test_injected_text_is_marked_inside_its_parent_row_and_gets_no_row_of_its_own(
        client: TestClient, constructed_pair: int) -> None:
    soup = parse(client.get(f"/pairs/{constructed_pair}"))
    edited = one(soup, "#block-2")

    mark = one(edited, "td.cell-copy mark.injected")
    assert mark.get_text() == "Subscribe now!"
    assert "injected" in mark["title"]
    assert "1 injected passage" in text_of(one(edited, ".meta"))
    assert len(soup.select("tr.rel-inserted")) == 1


def test_paraphrased_row_marks_its_rewording(client: TestClient, constructed_pair: int) -> None:
    paraphrased = one(parse(client.get(f"/pairs/{constructed_pair}")), "tr.rel-paraphrased")

    assert one(paraphrased, "del").get_text() == "Rain fell across the north all week long"
    assert one(paraphrased, "ins").get_text() == "Throughout the week, rain soaked the northern region"


def test_moved_paragraph_stands_where_it_is_in_the_copy_and_says_where_it_came_from(
        client: TestClient, constructed_pair: int) -> None:
    first = parse(client.get(f"/pairs/{constructed_pair}")).select("#rows tr.row")[0]

    assert "moved" in first["class"]
    assert text_of(one(first, ".note")) == "moved from paragraph 5"
    assert text_of(one(first, ".where")) == "original ¶ 5 → copy ¶ 1"


def test_summary_bar_shows_both_figures_and_the_rows_per_kind(client: TestClient, constructed_pair: int) -> None:
    soup = parse(client.get(f"/pairs/{constructed_pair}"))

    summary = constructed.ALIGNMENT.summary
    assert text_of(one(soup, ".figure.original-reused dd")) == percent(summary.original_reused)
    assert text_of(one(soup, ".figure.copy-derived dd")) == percent(summary.copy_derived)
    counts = {item["data-kind"]: text_of(one(item, ".count")) for item in soup.select(".legend .legend-item")}
    assert counts == {"verbatim": "2", "edited": "2", "paraphrased": "1", "inserted": "1", "omitted": "1"}


def test_legend_names_every_kind_and_the_marks(client: TestClient, constructed_pair: int) -> None:
    soup = parse(client.get(f"/pairs/{constructed_pair}"))

    labels = [text_of(one(item, ".label")) for item in soup.select(".legend .legend-item")]
    assert labels == ["Verbatim", "Edited", "Paraphrased", "Inserted", "Omitted"]
    for kind in constructed.ROW_KINDS:
        assert one(soup, f".legend-item.rel-{kind}")
    legend = one(soup, ".marks-legend")
    assert legend.select("del") and legend.select("ins") and legend.select("mark.injected")


def test_titles_and_source_links_of_both_sides_are_shown(client: TestClient, constructed_pair: int) -> None:
    soup = parse(client.get(f"/pairs/{constructed_pair}"))

    assert text_of(one(soup, ".source-original .source-title")) == "Bridge to close"
    assert text_of(one(soup, ".source-copy .source-title")) == "Bridge closing, says mayor"
    link = one(soup, ".source-copy .source-url a")
    assert link["href"] == "https://copycat.example/bridge"
    assert link["rel"] == ["noopener", "noreferrer", "nofollow"]


def test_page_offers_change_navigation_and_the_verbatim_toggle(client: TestClient, constructed_pair: int) -> None:
    soup = parse(client.get(f"/pairs/{constructed_pair}"))

    assert [text_of(b) for b in soup.select(".change-nav button")] == ["Previous change", "Next change"]
    toggle = one(soup, "#verbatim-toggle")
    assert text_of(toggle) == "Hide verbatim rows"
    assert toggle["href"] == toggle["hx-get"] == f"/pairs/{constructed_pair}?hide_verbatim=1"
    assert toggle["hx-target"] == "#report"
    assert toggle["hx-push-url"] == "true"
    assert one(soup, f'a[href="/pairs/{constructed_pair}/delete"]')


def test_hide_verbatim_link_without_javascript_renders_the_whole_page_without_verbatim_rows(
        client: TestClient, constructed_pair: int) -> None:
    response = client.get(f"/pairs/{constructed_pair}?hide_verbatim=1")
    soup = parse(response)

    assert response.status_code == 200
    assert response.template.name == "pages/pair.html"  # type: ignore[attr-defined]
    assert response.headers["vary"] == "HX-Request"
    assert soup.select("tr.rel-verbatim") == []
    assert [row["data-kind"] for row in soup.select("#rows tr.row")] == [
        "edited", "paraphrased", "omitted", "edited", "inserted"]
    assert text_of(one(soup, "tr.gap")) == "2 verbatim rows hidden"
    toggle = one(soup, "#verbatim-toggle")
    assert text_of(toggle) == "Show verbatim rows"
    assert toggle["href"] == f"/pairs/{constructed_pair}"


def test_htmx_toggle_request_gets_only_the_report_partial(client: TestClient, constructed_pair: int) -> None:
    response = client.get(f"/pairs/{constructed_pair}?hide_verbatim=1", headers=HTMX)
    soup = parse(response)

    assert response.status_code == 200
    assert response.template.name == "partials/report.html"  # type: ignore[attr-defined]
    assert response.headers["vary"] == "HX-Request"
    assert soup.find("html") is None and soup.find("header") is None
    assert one(soup, "section#comparison")
    assert soup.select("tr.rel-verbatim") == []
    assert text_of(one(soup, "#verbatim-toggle")) == "Show verbatim rows"


def test_htmx_request_to_show_verbatim_rows_again_gets_them_all(client: TestClient, constructed_pair: int) -> None:
    soup = parse(client.get(f"/pairs/{constructed_pair}", headers=HTMX))

    assert len(soup.select("tr.rel-verbatim")) == 2
    assert text_of(one(soup, "#verbatim-toggle")) == "Hide verbatim rows"


def test_full_page_answers_plain_requests_and_vary_tells_caches_apart(
        client: TestClient, constructed_pair: int) -> None:
    response = client.get(f"/pairs/{constructed_pair}")

    assert response.headers["vary"] == "HX-Request"
    assert parse(response).find("html") is not None


def test_htmx_history_restore_gets_the_whole_page(client: TestClient, constructed_pair: int) -> None:
    response = client.get(f"/pairs/{constructed_pair}?hide_verbatim=1",
                          headers={**HTMX, "HX-History-Restore-Request": "true"})

    assert response.template.name == "pages/pair.html"  # type: ignore[attr-defined]


def test_unknown_pair_is_a_404_page_in_the_site_layout(client: TestClient) -> None:
    response = client.get("/pairs/4242")

    assert response.status_code == 404
    assert response.template.name == "pages/error.html"  # type: ignore[attr-defined]
    soup = parse(response)
    assert "4242" in text_of(one(soup, ".error-message"))
    assert one(soup, "nav.site-nav")


def test_ids_that_are_not_numbers_are_404_not_422(client: TestClient) -> None:
    for path in ("/pairs/abc", "/pairs/0", "/pairs/-3", "/pairs/99999999999999999999999"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/html")


def test_real_engine_pair_shows_verbatim_inserted_and_omitted_rows(
        client: TestClient, store_pair: Callable[..., int]) -> None:
    kept = "The council met on Tuesday evening to discuss the new harbour wall and its cost."
    dropped = "Residents were invited to write to the clerk before the end of the month with views."
    added = "Advertisement: 555-0199."
    pair_id = store_pair(f"{kept}\n\n{dropped}", f"{kept}\n\n{added}")

    soup = parse(client.get(f"/pairs/{pair_id}"))

    verbatim = one(soup, "tr.rel-verbatim")
    assert one(verbatim, ".cell-original .text").get_text() == kept
    assert one(verbatim, ".cell-copy .text").get_text() == kept
    assert one(one(soup, "tr.rel-inserted"), ".cell-copy .text").get_text() == added
    assert one(one(soup, "tr.rel-omitted"), ".cell-original .text").get_text() == dropped


def test_first_view_stores_the_alignment_so_the_dashboard_has_figures(
        client: TestClient, store_pair: Callable[..., int]) -> None:
    pair_id = store_pair("Same words here.", "Same words here.")

    client.get(f"/pairs/{pair_id}")
    soup = parse(client.get("/"))

    assert text_of(one(soup, "td.original-reused")) == "100%"


def test_each_rows_note_from_the_engine_and_its_score_are_shown(
        client: TestClient, session: Session, store_pair: Callable[..., int]) -> None:
    original = "One long paragraph. It has two sentences.\r\n\r\nFirst half.\r\n\r\nSecond half."
    copy = "One long paragraph.\r\n\r\nIt has two sentences.\r\n\r\nFirst half. Second half."
    pair_id = store_pair(original, copy)
    o, c = paragraphs(original), paragraphs(copy)
    blocks = (
        Block(Relation.VERBATIM, o[0], (c[0][0], c[1][1]), 0.97, (0,), (0, 1), note="split into 2 paragraphs"),
        Block(Relation.EDITED, (o[1][0], o[2][1]), c[2], 0.88, (1, 2), (2,), note="merged from 2 paragraphs"),
    )
    stored = get_pair(session, pair_id).alignment
    assert stored is not None
    stored.result = Alignment(len(original), len(copy), o, c, blocks, (),
                              summarise(original, copy, blocks), ENGINE_VERSION).to_dict()
    session.commit()

    rows = parse(client.get(f"/pairs/{pair_id}")).select("#rows tr.row")

    assert [text_of(one(row, ".note")) for row in rows] == ["split into 2 paragraphs", "merged from 2 paragraphs"]
    assert [text_of(one(row, ".score")) for row in rows] == ["97%", "88%"]
    assert text_of(one(rows[0], ".where")) == "original ¶ 1 → copy ¶ 1–2"
