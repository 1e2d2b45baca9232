"""HTTP side of the server: page, health check, headers, static files, 404."""

from fastapi.testclient import TestClient

from server import __version__
from server.app import create_app


def client() -> TestClient:
    return TestClient(create_app(), base_url="http://localhost")


def test_index_renders_the_page():
    response = client().get("/")
    assert response.status_code == 200
    assert "<title>Neural Playground</title>" in response.text
    assert '<script type="module" src="/static/js/main.js">' in response.text


def test_healthz_answers_ok_with_version():
    assert client().get("/healthz").json() == {"status": "ok", "version": __version__}


def test_security_headers_on_every_page():
    c = client()
    for path in ("/", "/healthz", "/static/css/playground.css", "/missing"):
        headers = c.get(path).headers
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "connect-src 'self' ws://localhost wss://localhost" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"


def test_static_files_are_revalidated():
    response = client().get("/static/js/main.js")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"
    assert "etag" in response.headers
    assert "javascript" in response.headers["content-type"]


def test_friendly_404_for_browsers_and_json_for_scripts():
    c = client()
    html = c.get("/nowhere", headers={"accept": "text/html"})
    assert html.status_code == 404
    assert "Open the playground" in html.text and "/nowhere" in html.text
    api = c.get("/nowhere")
    assert api.status_code == 404 and api.json()["error"] == "not found"


def test_no_path_traversal_through_static():
    c = client()
    for path in (
        "/static/../pyproject.toml",
        "/static/%2e%2e/pyproject.toml",
        "/static/..%2fserver/app.py",
    ):
        response = c.get(path)
        assert response.status_code == 404, path
        assert "[project]" not in response.text
