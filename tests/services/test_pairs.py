"""app.services.pairs on a real migrated SQLite file: create, list, get, delete, align."""

from __future__ import annotations

import hashlib

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.align import ENGINE_VERSION, align
from app.errors import InvalidInput, NotFound, TooLarge
from app.models import Article, Pair, StoredAlignment
from app.services.pairs import (
    ArticleInput,
    alignment_for,
    count_pairs,
    create_pair,
    delete_pair,
    get_pair,
    list_pairs,
)

ORIGINAL = ("The council approved the harbour budget on Tuesday after a long debate.\r\n\r\n"
            "Mayor Ellen Voss said the vote lets the port hire forty inspectors by spring.\r\n")
COPY = ("The council approved the harbour budget on Tuesday after a long debate.\r\n\r\n"
        "Read more stories like this in our weekly newsletter.\r\n")
LIMIT = 10_000


def make(session: Session, title: str = "", *, original: str = ORIGINAL, copy: str = COPY) -> Pair:
    return create_pair(session, ArticleInput("Original", original, "https://example.com/a"),
                       ArticleInput("Copy", copy), max_bytes=LIMIT, title=title)


def counts(session: Session) -> tuple[int, int, int]:
    return tuple(session.scalar(select(func.count()).select_from(model)) or 0  # type: ignore[return-value]
                 for model in (Article, Pair, StoredAlignment))


def test_create_pair_stores_both_texts_exactly_and_their_alignment(session: Session) -> None:
    pair = make(session, "Budget")
    session.commit()
    session.expire_all()

    stored = session.get(Pair, pair.id)
    assert stored is not None
    assert stored.title == "Budget"
    assert stored.original.text == ORIGINAL
    assert stored.copy.text == COPY
    assert stored.original.source_url == "https://example.com/a"
    assert stored.copy.source_url is None
    assert stored.original.sha256 == hashlib.sha256(ORIGINAL.encode()).hexdigest()
    assert stored.alignment is not None
    assert stored.alignment.engine_version == ENGINE_VERSION
    assert stored.alignment.result == align(ORIGINAL, COPY).to_dict()
    assert stored.alignment.original_reused == stored.alignment.result["summary"]["original_reused"]


def test_create_pair_names_the_pair_after_its_articles_when_untitled(session: Session) -> None:
    pair = create_pair(session, ArticleInput("", "  Budget passes\nText."), ArticleInput("", "Budget\n"),
                       max_bytes=LIMIT)

    assert (pair.original.title, pair.copy.title) == ("Budget passes", "Budget")
    assert pair.title == "Budget passes ↔ Budget"


def test_create_pair_does_not_commit(session: Session, client: TestClient) -> None:
    make(session)

    with client.app.state.sessionmaker() as other:  # type: ignore[attr-defined]
        assert counts(other) == (0, 0, 0)
    session.rollback()
    assert counts(session) == (0, 0, 0)


@pytest.mark.parametrize(("original", "copy", "url", "keys"), [
    ("", COPY, None, {"original.text"}),
    (ORIGINAL, " \r\n\t", None, {"copy.text"}),
    ("", "", None, {"original.text", "copy.text"}),
    (ORIGINAL, COPY, "javascript:alert(1)", {"original.source_url"}),
    (ORIGINAL, COPY, "ftp://example.com/a", {"original.source_url"}),
])
def test_create_pair_refuses_invalid_input_and_adds_nothing(session: Session, original: str,
                                                            copy: str, url: str | None,
                                                            keys: set[str]) -> None:
    with pytest.raises(InvalidInput) as caught:
        create_pair(session, ArticleInput("O", original, url), ArticleInput("C", copy),
                    max_bytes=LIMIT)

    assert set(caught.value.errors) == keys
    assert caught.value.status == 422
    assert not session.new
    assert counts(session) == (0, 0, 0)


def test_create_pair_refuses_a_text_over_the_limit_in_bytes_with_too_large(session: Session) -> None:
    with pytest.raises(TooLarge) as caught:
        create_pair(session, ArticleInput("O", "\u00e9" * 6), ArticleInput("C", "fits"), max_bytes=11)

    assert caught.value.status == 413
    assert "the limit is 11 bytes" in caught.value.errors["original.text"]
    assert counts(session) == (0, 0, 0)


def test_list_pairs_pages_newest_first_with_the_total(session: Session) -> None:
    for n in range(5):
        make(session, f"pair {n}")
    session.commit()

    first, total = list_pairs(session, page=1, page_size=2)
    third, _ = list_pairs(session, page=3, page_size=2)
    beyond, _ = list_pairs(session, page=4, page_size=2)

    assert total == count_pairs(session) == 5
    assert [p.title for p in first] == ["pair 4", "pair 3"]
    assert [p.title for p in third] == ["pair 0"]
    assert beyond == []


def test_get_pair_finds_a_pair_and_raises_not_found_for_an_unknown_id(session: Session) -> None:
    pair = make(session)
    session.commit()

    assert get_pair(session, pair.id) is pair
    with pytest.raises(NotFound) as caught:
        get_pair(session, pair.id + 1)
    assert caught.value.status == 404
    assert str(caught.value) == f"pair {pair.id + 1} not found"


def test_delete_pair_removes_the_pair_its_alignment_and_its_orphan_articles(session: Session) -> None:
    kept = make(session, "kept")
    doomed = make(session, "doomed")
    session.commit()

    delete_pair(session, doomed.id)
    session.commit()

    assert counts(session) == (2, 1, 1)
    assert session.scalars(select(Pair.title)).all() == ["kept"]
    assert {a.id for a in session.scalars(select(Article))} == {kept.original_id, kept.copy_id}


def test_delete_pair_keeps_an_article_another_pair_still_uses(session: Session) -> None:
    first = make(session, "first")
    shared = first.original
    second = Pair(title="second", original=shared, copy=Article(
        title="Another copy", text="Something else entirely.", length=24, sha256="0" * 64))
    session.add(second)
    session.commit()

    delete_pair(session, first.id)
    session.commit()

    assert session.get(Article, shared.id) is not None
    assert session.get(Article, first.copy_id) is None
    assert counts(session) == (2, 1, 0)


def test_delete_pair_raises_not_found_for_an_unknown_id(session: Session) -> None:
    make(session)
    session.commit()

    with pytest.raises(NotFound):
        delete_pair(session, 999)
    assert counts(session) == (2, 1, 1)


def test_alignment_for_recomputes_and_stores_a_result_from_another_engine_version(
        session: Session) -> None:
    pair = make(session)
    assert pair.alignment is not None
    pair.alignment.engine_version = "0.0.0-old"
    pair.alignment.result = {**pair.alignment.result, "blocks": [], "engine_version": "0.0.0-old"}
    pair.alignment.original_reused = -1.0
    session.commit()

    result = alignment_for(session, pair)
    session.commit()
    session.expire_all()

    fresh = align(ORIGINAL, COPY)
    assert result == fresh
    stored = session.get(StoredAlignment, pair.id)
    assert stored is not None
    assert stored.engine_version == ENGINE_VERSION
    assert stored.result == fresh.to_dict()
    assert stored.original_reused == fresh.summary.original_reused
    assert counts(session) == (2, 1, 1)


def test_alignment_for_serves_a_current_stored_result_without_recomputing(session: Session) -> None:
    pair = make(session)
    assert pair.alignment is not None
    marked = {**pair.alignment.result,
              "summary": {**pair.alignment.result["summary"], "copy_derived": 0.125}}
    pair.alignment.result = marked
    session.commit()

    result = alignment_for(session, pair)

    assert result.summary.copy_derived == 0.125
    assert result.to_dict() == marked
