"""No password hash, session id, token, code or verifier is ever a frontend var (docs/architecture.md, "Secrets never reach the browser").

Walks every Reflex state class of the app: only its frontend vars (base and computed) are sent to
the browser, so none may be named like a secret. The browser tests check the values themselves
(websocket frames and page HTML after a real connection flow).
"""

from __future__ import annotations

import re

from reflex.state import BaseState

import socializioz.pages  # noqa: F401  (imports every page and so every state)

SECRET_NAMES = re.compile(r"password|hash|secret|token|session_id|cookie|verifier|cipher|credential|ticket|code_", re.I)


def _app_states() -> set[type[BaseState]]:
    found, queue = set(), [BaseState]
    while queue:
        for sub in queue.pop().__subclasses__():
            queue.append(sub)
            if sub.__module__.startswith("socializioz."):
                found.add(sub)
    return found


def test_the_walk_finds_the_app_states():
    names = {s.__name__ for s in _app_states()}
    assert {"SessionState", "ConnectionsState", "AccountsState", "OAuthResultState"} <= names


def test_no_frontend_var_is_named_like_a_secret():
    offenders = {
        f"{state.__name__}.{name}"
        for state in _app_states()
        for name in (*state.base_vars, *state.computed_vars)
        if SECRET_NAMES.search(name)
    }
    assert not offenders, f"secret-looking frontend vars: {sorted(offenders)}"


def test_flow_secrets_stay_out_of_state_classes_entirely():
    """The OAuth state and PKCE verifier live only in the flow row, never in a Reflex state."""
    for state in _app_states():
        every_var = {*state.base_vars, *state.computed_vars, *(getattr(state, "_backend_vars", None) or {})}
        assert not {v for v in every_var if re.search(r"verifier|oauth_state|access_token|refresh_token", v)}, state
