"""The store that holds raw inputs between the form and the save: same user only, byte-exact,
forgotten when expired, tampered with or dropped."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.services.pairs import RawSource
from app.web.upload_store import PendingStore

SOURCE = RawSource(kind="url", format="html", raw=b"<html><p>Body</p></html>", content_type="text/html",
                   encoding="utf-8", url="https://example.com/a", final_url="https://example.com/b",
                   http_status=200, fetched_at=datetime(2026, 11, 22, 9, 30, 5, tzinfo=UTC))


@pytest.fixture
def store(tmp_path: Path) -> PendingStore:
    return PendingStore(tmp_path / "pending", max_age=3600)


def put(store: PendingStore, user_id: int = 7) -> str:
    return store.put(user_id=user_id, text="Body\r\n", title="A title", warnings=("Check this",),
                     source=SOURCE).token


def age(store: PendingStore, token: str, seconds: float) -> None:
    then = time.time() - seconds
    for path in store.folder.glob(f"{token}.*"):
        os.utime(path, (then, then))


def test_an_extraction_comes_back_as_it_was_put(store: PendingStore) -> None:
    pending = store.get(put(store), user_id=7)

    assert pending is not None
    assert (pending.text, pending.title, pending.warnings) == ("Body\r\n", "A title", ("Check this",))
    assert pending.source == SOURCE
    assert pending.size == len(SOURCE.raw)


def test_another_users_token_gives_nothing(store: PendingStore) -> None:
    assert store.get(put(store), user_id=8) is None


def test_bytes_changed_on_disk_give_nothing(store: PendingStore) -> None:
    token = put(store)
    (store.folder / f"{token}.bin").write_bytes(b"<html><p>Forged</p></html>")

    assert store.get(token, user_id=7) is None


def test_an_expired_extraction_gives_nothing_and_is_swept_by_the_next_put(store: PendingStore) -> None:
    old = put(store)
    age(store, old, 3601)

    assert store.get(old, user_id=7) is None
    fresh = put(store)
    assert sorted(path.name for path in store.folder.iterdir()) == [f"{fresh}.bin", f"{fresh}.json"]


@pytest.mark.parametrize("token", ["", "../../etc/passwd", "a" * 31, "a" * 33, "a/" * 16])
def test_a_malformed_token_gives_nothing(store: PendingStore, token: str) -> None:
    put(store)

    assert store.get(token, user_id=7) is None


def test_a_dropped_extraction_is_gone(store: PendingStore) -> None:
    token = put(store)

    store.drop(token)

    assert store.get(token, user_id=7) is None
    assert list(store.folder.iterdir()) == []


def test_lf_text_keeps_lf_when_the_browser_sends_crlf(store: PendingStore) -> None:
    lf = store.put(user_id=1, text="One\n\nTwo", title=None, warnings=(), source=SOURCE)
    crlf = store.put(user_id=1, text="One\r\n\r\nTwo", title=None, warnings=(), source=SOURCE)

    assert lf.confirmed("One\r\n\r\nTwo, edited") == "One\n\nTwo, edited"
    assert crlf.confirmed("One\r\n\r\nTwo, edited") == "One\r\n\r\nTwo, edited"
