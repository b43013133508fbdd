"""The offline provider sandbox: Facebook, Instagram, TikTok, X and LinkedIn as one ASGI app.

Mount ``build_sandbox_app()`` at ``/sandbox``; each real host lives under its name with the real
paths after it (``/sandbox/graph.facebook.com/v21.0/oauth/access_token``). Behaviour follows
``reference/platforms.md``; UNVERIFIED and CONFLICT facts are ``SandboxOptions``.

Safety and persistence (the app mounts it only while some platform has no credentials,
``web/sandbox_routes.py``):
  * ``redirect_uri`` must be the app's own ``<public base>/oauth/callback/<platform>``, exactly; any
    other gets that platform's error page (never a redirect).
  * The consent form carries a CSRF token bound to the page's platform and query (SHA-256 stored),
    consumed by an atomic DELETE: a POST without it, with a used one or one from another page is refused.
  * State lives in the app's database (``store.py``, migration ``c3a0000sbox03``): codes, tokens,
    posts and comments added after seeding, Instagram containers, faults, rate-limit counters, CSRF
    tokens. Seeded personas and Pages are static code; seeded posts are dated from one stored epoch.
    Several workers and restarts therefore agree. Single use (codes, refresh tokens, faults, CSRF)
    is a conditional UPDATE/DELETE, so two workers cannot both win.
  * Pruning: ``SandboxState.prune`` (every minute per process, on requests) deletes codes an hour
    after expiry, tokens 30 days after expiry (unexpiring Page tokens after 90 days), closed
    rate-limit windows, expired CSRF tokens and containers.
  * Tenants: ``services.connect.start_flow`` adds ``sandbox_tenant`` = HMAC-SHA256 of the
    workspace id under a key derived from the primary encryption key (``tenant.py``). Codes and
    tokens carry it; API calls act in their token's tenant, which sees the shared world (seed and
    control-API content) plus its own posts, comments and revocations only. The tag cannot be
    derived for another workspace; an absent tag is the default tenant "", never another's.
  * Request bodies are capped (256 KiB); each request runs in a worker thread (``app.py``), so the
    synchronous DB calls never block the event loop. The clock and ``SandboxOptions`` are per process.

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
permissions, accounts, node, posts, publish (feed and photos), videos, delete, ig_container,
ig_publish, ig_limit, comments}; instagram.{token, exchange, refresh, me, media, node, comments,
container, publish (media_publish), publishing_limit}; tiktok.{token, user_info, video_list, publish};
x.{token, users_me, tweets, search, publish}; linkedin.{token, userinfo, posts, social_actions, comments}.
Faults: timeout, server_error, rate_limit, malformed_json, html_body, revoked_token, declined_scope,
timeout_after_create (the request takes effect, then times out). Meta publishing also plays
``media_rejected`` on ``<facebook|instagram>.media_fetch`` and ``container_error`` (``status`` = the
ERROR subcode) / ``container_expired`` on ``<facebook|instagram>.container_state`` (``meta_publishing.py``).
Media given by URL are downloaded through ``SandboxState.fetch_media`` (default: the app's own origin only).
permissions, accounts, node, posts, publish, comments}; instagram.{token, exchange, refresh, me,
media, node, comments, publish}; tiktok.{token, user_info, video_list, creator_info, publish (video
init), inbox, content (photos), upload, status, processing}; x.{token, users_me, tweets, search, publish,
media_upload, media_init, media_append, media_finalize, media_status, processing};
linkedin.{token, userinfo, posts, social_actions, comments, images, image_status, videos,
video_status, upload, processing}.
Faults: timeout, server_error, rate_limit, malformed_json, html_body, revoked_token, declined_scope;
publishing: timeout_after_create (the platform acts, the answer is lost), and media_rejected /
processing_failed on ``<platform>.processing`` (the next media or publish task fails there).
TikTok, X and LinkedIn publishing: ``tiktok_publishing.py`` (photos: ``tiktok_photos.py``), ``x_publishing.py``,
``linkedin_publishing.py``; objects in flight live in ``sandbox_upload`` (``uploads.py``), their
processing states computed from the clock; pull flows fetch media through ``fetch_media``.
Insights (``insights.py``): facebook.insights, instagram.insights, linkedin.{analytics, followers}.
Instagram messaging (``meta_messaging.py``, table ``sandbox_message``): instagram.{conversations,
conversation, send}; the 24-hour / 7-day HUMAN_AGENT windows run on the sandbox clock, which the
app's window rule also reads while this sandbox is mounted (``integrations/platform_clock.py``).

Control API (404 unless ``control_enabled``): POST ``/_control/faults`` {endpoint, fault, times,
status, retry_after, scope}; DELETE ``/_control/faults``; POST ``/_control/posts`` {platform,
owner_id, caption}; POST ``/_control/comments`` {post_id, text}; POST ``/_control/tokens/expire``
{token}; POST ``/_control/tokens/revoke`` {token | persona_id [, tenant]}; POST ``/_control/clock/advance``
{seconds}; POST ``/_control/clock/set`` {now}; POST ``/_control/options`` {...}; POST
``/_control/reset``; GET ``/_control/state``; GET ``/_control/publishing`` (objects in flight); POST ``/_control/audience/message``
{account, from, name, text} (a person writes to an Instagram account: stored, pushed as a signed
``messages`` webhook); GET ``/_control/audience/sent`` (what accounts sent through the Send API). In process, use ``app.state.sandbox``.
"""

from .app import build_sandbox_app
from .clock import SandboxClock
from .options import SandboxOptions
from .state import Fault, SandboxState

__all__ = ["Fault", "SandboxClock", "SandboxOptions", "SandboxState", "build_sandbox_app"]
