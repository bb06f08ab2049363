"""Errors outside /api/ are HTML: a page in the site layout, or a partial for htmx requests."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from tests.web.html import one, parse, text_of


def test_unknown_address_is_a_404_page_in_the_site_layout(client: TestClient) -> None:
    response = client.get("/no/such/page")
    soup = parse(response)

    assert response.status_code == 404
    assert response.template.name == "pages/error.html"  # type: ignore[attr-defined]
    assert text_of(one(soup, "h1")) == "Page not found"
    assert one(soup, "nav.site-nav") and one(soup, '.error-page a[href="/"]')


def test_htmx_request_for_a_missing_pair_gets_the_error_partial_aimed_at_the_message_area(
        client: TestClient) -> None:
    response = client.get("/pairs/999?hide_verbatim=1", headers={"HX-Request": "true"})
    soup = parse(response)

    assert response.status_code == 404
    assert response.template.name == "partials/error.html"  # type: ignore[attr-defined]
    assert soup.find("html") is None
    assert "999" in text_of(one(soup, ".error-flash[role=alert]"))
    assert response.headers["hx-retarget"] == "#flash"
    assert response.headers["hx-push-url"] == "false"


def test_wrong_method_is_an_html_405(client: TestClient) -> None:
    response = client.put("/pairs/new")

    assert response.status_code == 405
    assert response.headers["content-type"].startswith("text/html")


def test_a_crash_is_a_500_page_that_hides_the_details(settings: Settings) -> None:
    app = create_app(settings)

    @app.get("/explode")
    def explode() -> None:
        raise RuntimeError("secret internals")

    with TestClient(app, raise_server_exceptions=False) as crashing:
        response = crashing.get("/explode")
    app.state.engine.dispose()

    assert response.status_code == 500
    assert response.template.name == "pages/error.html"  # type: ignore[attr-defined]
    assert "secret internals" not in response.text
    assert "Something went wrong" in text_of(one(parse(response), "h1"))


def test_api_paths_keep_json_errors(client: TestClient) -> None:
    response = client.get("/api/v1/no-such-endpoint")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert "detail" in response.json()


def test_pages_carry_a_content_security_policy(client: TestClient) -> None:
    policy = client.get("/").headers["content-security-policy"]

    assert "script-src 'self'" in policy and "object-src 'none'" in policy
