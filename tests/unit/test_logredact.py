"""Pen-test finding 9: what Reflex logs for an unroutable event never shows secrets."""

from __future__ import annotations

import logging

from socializioz import logredact

EVENT = {
    "name": "reflex___state____state.nope.no_such_handler",
    "payload": {"email": "a@b.test", "password": "hunter2-secret", "new_password": "s3cond secret"},
    "router_data": {"headers": {"cookie": "sz_session=SESSIONVALUE123; theme=dark", "user-agent": "x"}},
}
SECRETS = (
    "hunter2-secret",
    "s3cond secret",
    "SESSIONVALUE123",
    "ACCESS123",
    "REFRESH123",
    "CLIENTSECRET",
    "CODE123",
    "VERIFIER123",
    "TICKET123",
)


def _logged(caplog, msg, *args, exc=None) -> str:
    logger = logging.getLogger("reflex.app.deeper")  # propagated records are covered too
    logredact.install()
    with caplog.at_level(logging.INFO):
        logger.warning(msg, *args, exc_info=exc)
    return caplog.text


def test_an_unroutable_event_is_logged_without_its_cookie_or_password(caplog):
    text = _logged(caplog, f"Received event from session abc with no associated token. Event data: {EVENT}")
    assert "no_such_handler" in text and "a@b.test" in text  # still useful
    assert not any(s in text for s in SECRETS), text


def test_args_urls_json_and_tracebacks_are_redacted(caplog):
    url = (
        "https://api.x.com/2/oauth2/token?code=CODE123&code_verifier=VERIFIER123&client_secret=CLIENTSECRET"
        "&error_code=42"
    )
    body = '{"access_token": "ACCESS123", "refresh_token": "REFRESH123", "ticket": "TICKET123"}'
    try:
        raise ValueError("Cookie: sz_session=SESSIONVALUE123")
    except ValueError as error:
        text = _logged(caplog, "call %s got %s (%d)", url, body, 7, exc=error)
    assert not any(s in text for s in SECRETS), text
    assert "error_code=42" in text and "(7)" in text


def test_install_is_idempotent_and_covers_server_handlers():
    handler = logging.StreamHandler()
    logging.getLogger("uvicorn.error").addHandler(handler)
    try:
        logredact.install()
        logredact.install()
        assert handler.filters.count(logredact._FILTER) == 1
        assert logging.getLogger().filters.count(logredact._FILTER) == 1
        assert logging.getLogRecordFactory().redacts
    finally:
        logging.getLogger("uvicorn.error").removeHandler(handler)
