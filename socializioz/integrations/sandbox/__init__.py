"""The offline provider sandbox: Facebook, Instagram, TikTok, X and LinkedIn as one ASGI app.

Mount ``build_sandbox_app()`` at ``/sandbox``; each real host lives under its name with the real
paths after it (``/sandbox/graph.facebook.com/v21.0/oauth/access_token``). Behaviour follows
``reference/platforms.md``; UNVERIFIED and CONFLICT facts are ``SandboxOptions``.

Consent screen (every ``.../authorize`` / ``dialog/oauth`` path), stable hooks for browser tests:
  * ``#sandbox-banner``            "Sandbox — not the real <Platform>"
  * ``input[name=persona]``        radio, value = persona id (``fb-alice``, ``fb-bob``, ``ig-studio``,
                                   ``ig-maya``, ``ig-sam`` (personal), ``tt-acme``, ``tt-maya``,
                                   ``x-acme``, ``x-jane``, ``li-jane``, ``li-omar``); id ``persona-<id>``
  * ``input[name=scope]``          checkbox per permission, value = scope, id ``scope-<scope>``
                                   (Facebook, Instagram, TikTok; X and LinkedIn grant all or nothing)
  * ``input[name=page]``           Facebook only: checkbox per Page, value = Page id (``1111`` Acme
                                   Bakery with Instagram linked, ``2222`` Acme Catering without)
  * ``#sandbox-approve``           approve → redirect with ``code`` and ``state``
  * ``#sandbox-cancel``            deny → the platform's denial parameters (LinkedIn:
                                   ``user_cancelled_authorize``)
  * ``#sandbox-cancel-login``      LinkedIn only → ``user_cancelled_login``
  * ``#sandbox-error``             shown instead of the form for a bad client id / redirect_uri

Fault endpoints (``<platform>.<name>``, or ``<platform>.*``): facebook.{token, debug_token, me, ig_media, ig_comments,
permissions, accounts, node, posts, publish, comments}; instagram.{token, exchange, refresh, me,
media, node, comments, publish}; tiktok.{token, user_info, video_list, publish}; x.{token, users_me,
tweets, search, publish}; linkedin.{token, userinfo, posts, social_actions, comments}.
Faults: timeout, server_error, rate_limit, malformed_json, html_body, revoked_token, declined_scope.

Control API (404 unless ``control_enabled``): POST ``/_control/faults`` {endpoint, fault, times,
status, retry_after, scope}; DELETE ``/_control/faults``; POST ``/_control/posts`` {platform,
owner_id, caption}; POST ``/_control/comments`` {post_id, text}; POST ``/_control/tokens/expire``
{token}; POST ``/_control/tokens/revoke`` {token | persona_id}; POST ``/_control/clock/advance``
{seconds}; POST ``/_control/clock/set`` {now}; POST ``/_control/options`` {...}; POST
``/_control/reset``; GET ``/_control/state``. In process, use ``app.state.sandbox``.
"""

from .app import build_sandbox_app
from .clock import SandboxClock
from .options import SandboxOptions
from .state import Fault, SandboxState

__all__ = ["Fault", "SandboxClock", "SandboxOptions", "SandboxState", "build_sandbox_app"]
