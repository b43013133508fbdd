"""Pen-test finding 11: every page, route and sandbox page carries the security headers, and the
app works under its Content-Security-Policy (no violation while signing in and connecting)."""

from __future__ import annotations

import httpx
from sqlmodel import select

from socializioz.db import session_scope
from socializioz.models import User
from socializioz.services import connect

from .conftest import sign_in

EXPECTED = {"x-frame-options": "DENY", "x-content-type-options": "nosniff"}


def _consent_url(email: str, sandbox_url: str) -> str:
    """The sandbox consent page of a real flow, reached where the running app serves the sandbox."""
    with session_scope() as db:
        user = db.exec(select(User).where(User.email == email)).one()
        url = connect.start_flow(
            db, user_id=user.id, workspace_id=user.active_workspace_id, platform="instagram"
        ).authorize_url
    return sandbox_url.rstrip("/") + "/" + url.split("/sandbox/", 1)[1]


def test_pages_routes_and_sandbox_carry_security_headers(app_server, make_user):
    user = make_user()
    paths = [
        "/",
        "/connections",
        "/sign-in",
        "/oauth/callback/x?state=nope&code=nope",
        _consent_url(user.email, app_server.sandbox_url),
    ]
    for path in paths:
        url = path if path.startswith("http") else app_server.url(path)
        response = httpx.get(url, follow_redirects=False)
        headers = response.headers
        for name, value in EXPECTED.items():
            assert headers.get(name) == value, (path, dict(headers))
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "base-uri 'self'" in csp, csp
        expected_referrer = "no-referrer" if "/oauth/callback/" in path else "strict-origin-when-cross-origin"
        assert headers["referrer-policy"] == expected_referrer, path


def test_signing_in_and_connections_raise_no_csp_violation(page, make_user):
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    sign_in(page, make_user())
    page.goto("/connections")
    page.wait_for_selector("[data-tile='instagram']")
    page.click("[data-tile='instagram']")
    page.wait_for_timeout(1500)
    assert page.url and not violations, violations


def test_an_oversized_upload_is_refused_before_the_body_is_read(app_server):
    """Only the headers are sent: the running app answers 413 without waiting for 400 MB."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(app_server.url("/_upload"))
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(
            (
                f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 400000000\r\n\r\n"
            ).encode()
        )
        status_line = sock.recv(64).split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/1.1 413 "), status_line
