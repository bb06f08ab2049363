"""Deleting a comparison: a confirmation page, then a POST that goes back to the dashboard."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.services.pairs import count_pairs
from tests.web.html import one, parse, text_of


def test_delete_link_leads_to_a_confirmation_form(client: TestClient, store_pair: Callable[..., int]) -> None:
    pair_id = store_pair("Text.", "Text.", original_title="Doomed")

    response = client.get(f"/pairs/{pair_id}/delete")
    soup = parse(response)

    assert response.status_code == 200
    assert response.template.name == "pages/confirm_delete.html"  # type: ignore[attr-defined]
    assert "Doomed" in text_of(one(soup, ".confirm-title"))
    form = one(soup, "form.form-actions")
    assert form["method"] == "post" and form["action"] == f"/pairs/{pair_id}/delete"
    assert one(soup, f'a[href="/pairs/{pair_id}"]')


def test_confirmed_delete_removes_the_pair_and_goes_back_to_the_dashboard(
        client: TestClient, session: Session, store_pair: Callable[..., int]) -> None:
    pair_id = store_pair("Text.", "Text.")

    response = client.post(f"/pairs/{pair_id}/delete", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == "/"
    assert count_pairs(session) == 0
    assert client.get(f"/pairs/{pair_id}").status_code == 404


def test_deleting_an_unknown_pair_is_a_404_page(client: TestClient) -> None:
    assert client.post("/pairs/777/delete").status_code == 404
    assert client.get("/pairs/777/delete").status_code == 404
