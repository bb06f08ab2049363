"""The API's OpenAPI description at /api/v1/openapi.json and /docs, and how the API plugs into the app."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app

OPERATIONS = {
    ("/api/v1/pairs", "post"): {"201", "400", "401", "403", "413", "415", "422"},
    ("/api/v1/pairs", "get"): {"200", "401", "422"},
    ("/api/v1/pairs/{pair_id}", "get"): {"200", "401", "404"},
    ("/api/v1/pairs/{pair_id}", "delete"): {"204", "401", "403", "404"},
    ("/api/v1/pairs/{pair_id}/alignment", "get"): {"200", "401", "404"},
    ("/api/v1/pairs/{pair_id}/settings", "put"): {"200", "400", "401", "403", "404", "415", "422"},
}


def test_openapi_lists_every_pair_route_with_a_summary_and_its_error_responses(client: TestClient) -> None:
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    documented = {(path, method) for path, operations in paths.items() if path.startswith("/api/v1/pairs")
                  for method in operations}
    assert set(OPERATIONS) <= documented
    for (path, method), statuses in OPERATIONS.items():
        operation = paths[path][method]
        assert operation["summary"], (path, method)
        assert operation["description"], (path, method)
        assert set(operation["responses"]) == statuses, (path, method)


def test_every_api_operation_asks_for_an_api_token_and_documents_401(anon_client: TestClient) -> None:
    spec = anon_client.get("/api/v1/openapi.json").json()

    scheme = spec["components"]["securitySchemes"]["APIToken"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert operation["security"] == [{"APIToken": []}], (path, method)
            assert "401" in operation["responses"], (path, method)
            if method != "get":
                assert "403" in operation["responses"], (path, method)


def test_openapi_describes_the_request_body_with_an_example_and_the_key_copy(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()

    body = spec["paths"]["/api/v1/pairs"]["post"]["requestBody"]
    assert body["required"] is True
    schema = spec["components"]["schemas"]["PairIn"]
    assert set(schema["properties"]) == {"title", "original", "copy"}
    assert schema["required"] == ["original", "copy"]
    assert schema["additionalProperties"] is False
    example = schema["examples"][0]
    assert example["copy"]["text"] and example["original"]["source_url"].startswith("https://")
    article = spec["components"]["schemas"]["ArticleIn"]
    # One of the four ways in per side (checked by the route, which names the missing field).
    assert {"text", "html", "url", "file_base64"} <= set(article["properties"])
    assert "required" not in article


def test_openapi_documents_the_alignment_contract_keys(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()

    operation = spec["paths"]["/api/v1/pairs/{pair_id}/alignment"]["get"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/AlignmentDocument")
    schemas = spec["components"]["schemas"]
    assert set(schemas["AlignmentDocument"]["required"]) == {
        "format", "original", "copy", "blocks", "changes", "summary"}
    assert set(schemas["AlignedBlock"]["required"]) == {"kind", "original", "copy", "score"}


def test_the_response_schemas_use_copy_not_the_python_attribute_name(client: TestClient) -> None:
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]

    for name in ("PairOut", "PairDetail", "AlignmentDocument", "AlignedBlock"):
        assert "copy" in schemas[name]["properties"], name
        assert "copy_" not in schemas[name]["properties"], name


def test_the_interactive_docs_load_the_api_description(client: TestClient) -> None:
    response = client.get("/docs")

    assert response.status_code == 200
    assert "text/html" in response.headers["content-type"]
    assert "/api/v1/openapi.json" in response.text


def test_the_api_installs_no_app_wide_handlers_or_middleware(tmp_path: Path) -> None:
    """HTML routes keep their own error handling: the API's lives in its route class."""
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", load_demo=False))

    assert [key for key, handler in app.exception_handlers.items()
            if handler.__module__.startswith("app.api")] == []
    assert [m for m in app.user_middleware if m.cls.__module__.startswith("app.api")] == []
    app.state.engine.dispose()
