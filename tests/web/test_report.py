"""The evidence report page (/pairs/{id}/report): every item the issue lists, user text escaped,
the login it needs; and the page links to the exports (report, PDF, JSON, annotations, CSV)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.models import Activity, ArticleSource, User
from app.services.pairs import ArticleInput, create_pair, get_pair
from app.services.review import add_reply, create_note, set_note_status, set_verdict
from tests.conftest import MakeUser, sign_in
from tests.web.html import one, parse, text_of

ORIGINAL = ("The harbour board approved the new container terminal on Tuesday after a long debate.\n\n"
            "Construction will cost 40 million euros and take three years, chair Ellen Voss said.\n\n"
            "Local fishermen say they were never consulted about the dredging of the north channel.\n")
COPY = ("The harbour board approved the new container terminal on Tuesday after a long debate.\n\n"
        "Building it will cost 45 million euros and take three years, chair Ellen Voss said.\n\n"
        "Subscribe to our newsletter for more port news.\n")
ORIGINAL_TITLE = "Board approves <b>terminal</b>"
COPY_TITLE = "Terminal <script>alert('title')</script> approved"
ORIGINAL_URL = "https://harbour.example/terminal"
COPY_URL = "https://copycat.example/terminal?ref=feed"
RAW = b"<html><head><title>Board approves terminal</title></head><body><p>...</p></body></html>"
FETCHED_AT = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
NOTE_BODY = "Was 40 million. <script>alert('note')</script>"
REPLY_BODY = "Checked with the board's minutes: 40."


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Evidence:
    """A pair with everything the report shows: a fetched original with its raw page, a copy
    pasted as text, a changed fact, a confirmed note with a reply, a verdict."""

    pair_id: int
    note_id: int


def store_evidence_pair(session: Session, user: User) -> Evidence:
    """The pair, stored through the services as ``user`` (who thereby ran the comparison)."""
    user = session.merge(user)
    pair = create_pair(session, ArticleInput(ORIGINAL_TITLE, ORIGINAL, ORIGINAL_URL),
                       ArticleInput(COPY_TITLE, COPY, COPY_URL), max_bytes=1 << 20, user=user)
    pair.original.source = ArticleSource(
        kind="url", format="html", content_type="text/html; charset=utf-8", encoding="utf-8",
        encoding_detected=False, raw=RAW, size=len(RAW), sha256=sha256(RAW), url=ORIGINAL_URL,
        final_url="https://harbour.example/news/terminal", http_status=200, fetched_at=FETCHED_AT)
    start = COPY.index("45 million")
    note = create_note(session, pair, user, side="copy", start=start, end=start + len("45 million"),
                       label="changed_fact", body=NOTE_BODY)
    add_reply(session, note, user, REPLY_BODY)
    set_note_status(session, note, user, "confirmed")
    set_verdict(session, pair, user, "in_review")
    session.commit()
    return Evidence(pair.id, note.id)


def report(client: TestClient, pair_id: int) -> BeautifulSoup:
    response = client.get(f"/pairs/{pair_id}/report")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return parse(response)


def side(soup: BeautifulSoup, name: str) -> BeautifulSoup:
    return one(soup, f".evidence-side[data-side={name}]")


# --- what the report states --------------------------------------------------------------------


def test_the_report_names_both_texts_with_title_address_capture_time_and_text_hash(
        client: TestClient, session: Session, editor: User) -> None:
    evidence = store_evidence_pair(session, editor)
    pair = get_pair(session, evidence.pair_id)

    soup = report(client, evidence.pair_id)

    original, copy = side(soup, "original"), side(soup, "copy")
    assert text_of(one(original, ".side-title")) == ORIGINAL_TITLE
    assert text_of(one(copy, ".side-title")) == COPY_TITLE
    assert one(original, ".side-url a")["href"] == ORIGINAL_URL
    assert one(copy, ".side-url a")["href"] == COPY_URL
    assert one(original, ".side-captured time")["datetime"] == "2026-03-04T05:06:07Z"
    assert "fetched from its address" in text_of(one(original, ".side-captured"))
    copy_created = pair.copy.created_at.replace(tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert one(copy, ".side-captured time")["datetime"] == copy_created
    assert "pasted text" in text_of(one(copy, ".side-captured"))
    assert text_of(one(original, "[data-hash=text]")) == sha256(ORIGINAL.encode()) == pair.original.sha256
    assert text_of(one(copy, "[data-hash=text]")) == sha256(COPY.encode())
    assert one(soup, "h1.report-title").get_text() == pair.title == f"{ORIGINAL_TITLE} ↔ {COPY_TITLE}"


def test_the_report_gives_the_raw_source_hash_only_for_a_side_that_has_a_raw_source(
        client: TestClient, session: Session, editor: User) -> None:
    evidence = store_evidence_pair(session, editor)

    soup = report(client, evidence.pair_id)

    assert text_of(one(side(soup, "original"), "[data-hash=source]")) == sha256(RAW)
    assert "HTML" in text_of(one(side(soup, "original"), ".side-source"))
    assert side(soup, "copy").select("[data-hash=source]") == []


def test_the_report_says_who_ran_the_comparison_and_when(client: TestClient, session: Session,
                                                          editor: User) -> None:
    evidence = store_evidence_pair(session, editor)
    created = session.scalars(select(Activity).where(Activity.pair_id == evidence.pair_id,
                                                     Activity.action == "created")).one()

    soup = report(client, evidence.pair_id)

    assert text_of(one(soup, ".run-by")) == "editor"
    assert one(soup, ".run-at time")["datetime"] == created.at.replace(tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_pair_older_than_the_activity_log_was_run_by_someone_unknown(client: TestClient, session: Session,
                                                                        editor: User) -> None:
    evidence = store_evidence_pair(session, editor)
    session.execute(delete(Activity).where(Activity.pair_id == evidence.pair_id))
    session.commit()
    pair = get_pair(session, evidence.pair_id)

    soup = report(client, evidence.pair_id)

    assert text_of(one(soup, ".run-by")) == "unknown"
    assert one(soup, ".run-at time")["datetime"] == pair.created_at.replace(tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_the_report_states_the_figures_the_changed_facts_and_the_verdict(client: TestClient, session: Session,
                                                                          editor: User) -> None:
    evidence = store_evidence_pair(session, editor)
    stored = get_pair(session, evidence.pair_id).alignment
    assert stored is not None
    page = parse(client.get(f"/pairs/{evidence.pair_id}"))

    soup = report(client, evidence.pair_id)

    for figure in ("original_reused", "copy_derived"):
        assert text_of(one(soup, f".report-figure [data-figure={figure}]")) == \
            text_of(one(page, f".figures [data-figure={figure}]"))
    facts = soup.select(".fact-table tbody tr")
    assert len(facts) == len(stored.result["changes"]) >= 1
    number = one(soup, ".fact-table tr[data-kind=number]")
    assert (text_of(one(number, ".fact-original")), text_of(one(number, ".fact-copy"))) == ("40 million", "45 million")
    assert text_of(one(soup, "[data-figure=changed_facts]")) == str(len(facts))
    verdict = one(soup, ".verdict-value")
    assert "verdict-in_review" in verdict["class"]
    assert " ".join(verdict.get_text().split()).startswith("In review, set by editor on")


def test_the_table_has_every_row_with_its_kind_as_a_word_and_as_a_colour_class(
        client: TestClient, session: Session, editor: User) -> None:
    evidence = store_evidence_pair(session, editor)
    page = parse(client.get(f"/pairs/{evidence.pair_id}"))

    soup = report(client, evidence.pair_id)

    rows = soup.select(".report-rows tbody tr.report-row")
    assert [row["data-kind"] for row in rows] == [row["data-kind"] for row in page.select("#rows tr.row")]
    for row in rows:
        kind = row["data-kind"]
        assert f"rel-{kind}" in row["class"]
        assert text_of(one(row, ".kind-label")) == kind.capitalize()
    edited = next(row for row in rows if row["data-kind"] == "edited")
    assert text_of(one(edited, ".cell-copy mark.fact .fact-kind")) == "Number"
    assert one(edited, ".cell-copy mark.note-mark .note-ref")["href"] == f"#note-{evidence.note_id}"
    assert edited.select(".cell-original del") and edited.select(".cell-copy ins")
    assert {row["data-kind"]: text_of(one(row, ".count")) for row in soup.select(".kind-legend tbody tr")}["edited"] == "1"
    assert soup.select('link[rel=stylesheet][href^="/static/css/print.css?v="]')


def test_the_report_lists_each_note_with_its_status_history_and_replies(client: TestClient, session: Session,
                                                                         editor: User) -> None:
    evidence = store_evidence_pair(session, editor)

    soup = report(client, evidence.pair_id)

    note = one(soup, f"article.report-note#note-{evidence.note_id}")
    assert "status-confirmed" in note["class"]
    assert text_of(one(note, ".note-title")) == "Note 1: Changed fact Status: Confirmed"
    assert one(note, ".note-body").get_text() == NOTE_BODY
    assert one(note, ".note-quote").get_text() == "45 million"
    assert "row 2" in text_of(one(note, ".note-byline"))
    assert [text_of(li) for li in note.select(".note-history li")][0].startswith(
        "editor changed the status from open to confirmed")
    assert one(note, ".reply-body").get_text() == REPLY_BODY
    assert "editor created the pair" in text_of(one(soup, ".report-activity"))


def test_the_dmca_section_fills_in_the_work_and_the_copy_and_leaves_the_statements_blank(
        client: TestClient, session: Session, editor: User) -> None:
    evidence = store_evidence_pair(session, editor)

    soup = report(client, evidence.pair_id)

    dmca = one(soup, "section.dmca")
    assert text_of(one(dmca, "h2")) == "What a DMCA notice needs"
    assert text_of(one(dmca, ".disclaimer")).startswith("Not legal advice.")
    work = one(dmca, "[data-element=work]")
    assert ORIGINAL_TITLE in text_of(work) and ORIGINAL_URL in text_of(work)
    assert sha256(ORIGINAL.encode()) in text_of(work)
    copying = one(dmca, "[data-element=copying]")
    assert COPY_URL in text_of(copying)
    passages = copying.select(".passages tbody tr")
    assert [text_of(row.select("td")[0]) for row in passages] == ["1", "2"]
    assert "45 million euros" in text_of(one(passages[1], ".passage-copy"))
    for element in ("contact", "good-faith", "accuracy", "signature"):
        blanks = one(dmca, f"[data-element={element}]").select(".blank-field")
        assert blanks, element
        assert all(text_of(one(blank, ".blank-note")) == "Blank: to be completed by the sender" for blank in blanks)
    assert [text_of(one(b, ".blank-label")) for b in one(dmca, "[data-element=signature]").select(".blank-field")] \
        == ["Signature", "Name and capacity", "Date"]


def test_titles_and_notes_holding_markup_are_shown_as_text_not_run(client: TestClient, session: Session,
                                                                    editor: User) -> None:
    evidence = store_evidence_pair(session, editor)

    response = client.get(f"/pairs/{evidence.pair_id}/report")

    soup = parse(response)
    assert soup.select("script") == [] and soup.select("b") == []
    assert "<script>alert('title')</script>" in one(soup, "title").get_text()
    assert "&lt;script&gt;alert(&#39;note&#39;)&lt;/script&gt;" in response.text
    assert "script-src 'self'" in response.headers["content-security-policy"]


# --- access ------------------------------------------------------------------------------------


def test_the_report_and_the_downloads_need_a_login(anon_client: TestClient, session: Session, editor: User) -> None:
    evidence = store_evidence_pair(session, editor)

    for path in (f"/pairs/{evidence.pair_id}/report", f"/pairs/{evidence.pair_id}/report.pdf",
                 f"/pairs/{evidence.pair_id}/export.json", "/pairs.csv"):
        response = anon_client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next="), path


def test_a_viewer_may_read_the_report(anon_client: TestClient, session: Session, editor: User,
                                      make_user: MakeUser) -> None:
    evidence = store_evidence_pair(session, editor)
    sign_in(anon_client, make_user("vera", "viewer"))

    assert text_of(one(report(anon_client, evidence.pair_id), ".run-by")) == "editor"


def test_an_unknown_pair_has_no_report_and_no_downloads(client: TestClient) -> None:
    for path in ("/pairs/999/report", "/pairs/999/report.pdf", "/pairs/999/export.json"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "text/html" in response.headers["content-type"]


# --- the links ---------------------------------------------------------------------------------


def test_the_pair_page_links_to_the_report_and_the_exports(client: TestClient, session: Session,
                                                           editor: User) -> None:
    evidence = store_evidence_pair(session, editor)

    links = {a["data-export"]: a["href"] for a in parse(client.get(f"/pairs/{evidence.pair_id}")).select(
        ".evidence-links a[data-export]")}

    base = f"/pairs/{evidence.pair_id}"
    assert links == {"report": f"{base}/report", "pdf": f"{base}/report.pdf", "json": f"{base}/export.json",
                     "annotations": f"/api/v1{base}/annotations"}
    for href in links.values():
        assert client.get(href).status_code == 200, href


def test_the_dashboard_links_to_the_csv_of_all_pairs(client: TestClient, session: Session, editor: User) -> None:
    store_evidence_pair(session, editor)

    link = one(parse(client.get("/")), "a[data-export=csv]")

    assert link["href"] == "/pairs.csv"
    response = client.get(link["href"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == 'attachment; filename="copydesk-pairs.csv"'


def test_the_json_link_downloads_the_same_document_as_the_api(client: TestClient, session: Session,
                                                              editor: User) -> None:
    evidence = store_evidence_pair(session, editor)

    response = client.get(f"/pairs/{evidence.pair_id}/export.json")

    assert response.headers["content-disposition"] == f'attachment; filename="copydesk-pair-{evidence.pair_id}.json"'
    document = response.json()
    assert (document["format"], document["id"]) == ("copydesk.pair-export/1", evidence.pair_id)
    assert document["copy"]["text"] == COPY
