"""Connecting and reconnecting accounts: start an OAuth flow, finish it from the callback, and
confirm a Facebook Page's linked Instagram account.

Every outcome is a ``FlowOutcome`` stored on the flow row (no tokens in it) that the result page,
the banner and the origin tab's live update all read.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlmodel import Session

from socializioz.db import run_db, session_scope
from socializioz.domain.account_rules import publish_capable
from socializioz.domain.connect_rules import Device, FlowStatus, Gate, Intent, OpenMode, open_mode, tile_gate
from socializioz.domain.errors import ErrorKind, ProviderError
from socializioz.domain.plans import Plan, slots_left
from socializioz.domain.platform_specs import ConnectionMethod
from socializioz.domain.platforms import INSTAGRAM, Platform
from socializioz.integrations.base import Provider
from socializioz.integrations.endpoints import redirect_uri
from socializioz.integrations.factory import get_provider
from socializioz.integrations.models import TokenSet
from socializioz.integrations.sandbox.tenant import with_tenant
from socializioz.models import OAuthFlow, SocialAccount, User, Workspace
from socializioz.security.credentials import load_tokens
from socializioz.security.keys import KeyConfigError
from socializioz.services import accounts_store, analytics_sync, notify, oauth_flows
from socializioz.services.accounts_store import AccountDraft
from socializioz.services.errors import NotFound, ValidationError
from socializioz.services.oauth_flows import AddedAccount, FlowOutcome, PendingInstagram, SkippedAccount
from socializioz.services.persisted import saved_id
from socializioz.services.workspaces import role_in
from socializioz.settings import get_settings

log = logging.getLogger(__name__)


class FlowNotStarted(oauth_flows.FlowRejected):
    """The server cannot run this platform's OAuth at all (the operator must fix a setting): shown
    as the connection error banner with its catalogue code and the support link, not as a toast."""

    def __init__(self, code: str, platform: str) -> None:
        super().__init__(code)
        self.platform = platform


def check_configuration(platform: str) -> None:
    """Refuse to start a configured platform's flow that cannot work (``FlowNotStarted``).

    * ``missing_credentials``: a client id without its client secret (the code exchange would fail).
    * ``server_misconfigured``: the redirect URI we would register cannot work, because the public
      base URL is not an absolute http(s) URL, or is plain http on a host other than this machine
      (Meta, TikTok, X and LinkedIn accept plain http only for localhost redirects).
    A platform without a client id uses the sandbox and has nothing to check."""
    settings = get_settings()
    credentials = settings.credentials_for(platform)
    if not credentials.configured:
        return
    if not credentials.client_secret.get_secret_value().strip():
        raise FlowNotStarted("missing_credentials", platform)
    parts = urlsplit(redirect_uri(platform, settings.public_base_url.strip()))
    local = parts.hostname in ("localhost", "127.0.0.1")
    if not parts.hostname or parts.scheme not in ("http", "https") or (parts.scheme == "http" and not local):
        raise FlowNotStarted("server_misconfigured", platform)


@dataclass(frozen=True)
class StartedFlow:
    authorize_url: str
    open_mode: OpenMode


def start_flow(
    db: Session,
    *,
    user_id: int,
    workspace_id: int,
    platform: str,
    intent: Intent | str = Intent.CONNECT,
    return_path: str = "/connections",
    client_token: str = "",
    device: Device | None = None,
    reconnect_account_id: int | None = None,
    now: datetime | None = None,
) -> StartedFlow:
    """Check the plan and the account, record the flow, and build the consent URL."""
    if role_in(db, _user(db, user_id), workspace_id) is None:
        raise NotFound("workspace.not_found")
    plan = Plan(_workspace(db, workspace_id).plan)
    account = None
    if intent == Intent.RECONNECT:
        account = db.get(SocialAccount, reconnect_account_id) if reconnect_account_id else None
        if account is None or account.workspace_id != workspace_id or account.platform != platform:
            raise NotFound("accounts.not_found")
    if account is None or account.disconnected_at is not None:
        # A connect, or a "reconnect" of a disconnected account (which takes a slot back): the
        # plan's platform and slot gates apply (pen-test finding 7).
        gate = tile_gate(Platform(platform), plan, accounts_store.active_account_count(db, workspace_id))
        if gate.gate is not Gate.OPEN:
            raise ValidationError(f"connect.gate.{gate.gate.value}")
    try:
        check_configuration(platform)
    except FlowNotStarted as problem:
        log.error("cannot start a %s connection: %s (check the platform's settings)", platform, problem.code)
        raise
    provider = get_provider(platform)
    flow = oauth_flows.create_flow(
        db,
        user_id=user_id,
        workspace_id=workspace_id,
        platform=platform,
        intent=intent,
        return_path=return_path,
        client_token=client_token,
        with_pkce=provider.uses_pkce,
        reconnect_account_id=reconnect_account_id,
        now=now,
    )
    url = provider.authorization_url(
        state=flow.state,
        redirect_uri=redirect_uri(platform, get_settings().public_base_url),
        code_verifier=flow.code_verifier,
    )
    if provider.sandbox:  # the sandbox keeps each workspace's activity apart by this tag
        url = with_tenant(url, workspace_id)
    db.commit()
    return StartedFlow(
        authorize_url=url, open_mode=open_mode(Platform(platform), device or Device(False, False, False))
    )


@dataclass(frozen=True)
class CallbackOutcome:
    """What one OAuth callback ended in: the flow it consumed (if any) and its stored result."""

    flow_id: int | None
    result: FlowOutcome


_error = FlowOutcome.error


async def complete_flow(
    platform: str, params: dict[str, str], session_user_id: int | None, now: datetime | None = None
) -> CallbackOutcome:
    """The callback: consume the flow once, exchange the code once, save what the plan allows.

    Three steps, and no database connection is held across a provider call (docs/architecture.md, "OAuth"):
    a short transaction in a thread consumes the flow; the provider calls run with no session;
    a second short transaction in a thread saves the accounts and the result. A failure on our
    side is recorded on the flow as a catalogue error that tells the user to start again (the
    platform's code is single use, so the same callback cannot be replayed).
    """
    now = now or datetime.now(UTC)
    if platform not in {p.value for p in Platform}:
        return CallbackOutcome(None, _error(platform, "missing_params"))
    if not params.get("state") and not params.get("code") and not params.get("error"):
        return CallbackOutcome(None, _error(platform, "missing_params"))
    try:
        flow, verifier, refused = await run_db(_claim, platform, params.get("state"), session_user_id, now)
    except oauth_flows.FlowRejected as rejected:
        return CallbackOutcome(None, _error(platform, rejected.code))
    except Exception:  # our database failed before the flow was consumed: it stays usable
        log.exception("oauth callback: could not consume the flow")
        return CallbackOutcome(None, _error(platform, SERVER_SIDE_FAILURE))
    if refused is not None:
        return CallbackOutcome(flow.id, refused)
    fetched = await _authorize(flow, verifier, params)
    try:
        result = await run_db(_finish, flow, fetched, now)
    except Exception as failure:  # the platform said yes but we could not store it
        log.exception("oauth callback: could not save the result")
        code = _save_failure_code(flow.platform, token_storage=isinstance(failure, KeyConfigError))
        result = _with_flow(flow, _error(flow.platform, code))
        with contextlib.suppress(Exception):
            await run_db(_record, flow.id, result)
    outcome = CallbackOutcome(flow.id, result)
    await notify.flow_finished(flow.client_token, outcome.result)
    if not outcome.result.failed:
        await notify.workspace_changed(flow.workspace_id)
        analytics_sync.backfill_in_background(outcome.result.added)
    return outcome


SERVER_SIDE_FAILURE = "server_config"  # "a temporary issue on the Socializioz side": start again


def _save_failure_code(platform: str, *, token_storage: bool) -> str:
    """The spec's codes for "authorized, but not saved": the tokens could not be stored (the
    encryption keys are unusable) is ``token_creation_failed``; the account could not be added to
    the workspace is TikTok's ``social_account_creation_failed`` (LinkedIn and the others have only
    ``token_creation_failed`` in the error reference)."""
    if token_storage or platform != "tiktok":
        return "token_creation_failed"
    return "social_account_creation_failed"


def _with_flow(flow: OAuthFlow, result: FlowOutcome) -> FlowOutcome:
    result.intent, result.return_path = Intent(flow.intent), flow.return_path
    return result


def _claim(
    platform: str, state: str | None, session_user_id: int | None, now: datetime
) -> tuple[OAuthFlow, str | None, FlowOutcome | None]:
    """Step 1 (thread): consume the flow; a callback from someone else's browser ends it here."""
    with session_scope() as db:
        flow, verifier = oauth_flows.consume_flow(db, state, platform, now)
        refused = None
        if session_user_id is None:
            refused = _error(platform, "session_expired")
        elif session_user_id != flow.user_id:
            refused = _error(platform, "invalid_state")
        elif role_in(db, _user(db, flow.user_id), flow.workspace_id) is None:
            # Removed from the workspace while on the platform's consent page: nothing is added there.
            refused = _error(platform, _save_failure_code(platform, token_storage=False))
        if refused is not None:
            oauth_flows.record_result(db, flow, _with_flow(flow, refused))
        return flow, verifier, refused


@dataclass(frozen=True)
class _Fetched:
    """What the platform said, gathered with no database session open."""

    drafts: list[AccountDraft]
    pending_instagram: list[PendingInstagram]
    error: FlowOutcome | None = None


async def _authorize(flow: OAuthFlow, verifier: str | None, params: dict[str, str]) -> _Fetched:
    """Step 2 (event loop, no DB): parse the callback, exchange the code, read the accounts."""
    provider = get_provider(flow.platform)
    try:
        callback = provider.parse_callback(params)
        tokens = await provider.exchange_code(
            callback.code,
            redirect_uri=redirect_uri(flow.platform, get_settings().public_base_url),
            code_verifier=verifier,
        )
        await provider.verify_connection(tokens)
        if flow.platform == "facebook" and not tokens.scopes:
            # Facebook's token response names no scopes: record what Meta says was granted.
            tokens = dataclasses.replace(tokens, scopes=(await provider.permissions(tokens.access_token)).granted)
        drafts, pending_instagram = await _drafts(provider, flow.platform, tokens)
    except ProviderError as error:
        return _Fetched([], [], _error(flow.platform, error.code, scope=error.missing_scope or ""))
    finally:
        await provider.aclose()
    return _Fetched(drafts, pending_instagram)


def _finish(flow: OAuthFlow, fetched: _Fetched, now: datetime) -> FlowOutcome:
    """Step 3 (thread): save what the plan allows and record the result, in one transaction."""
    with session_scope() as db:
        if fetched.error is not None:
            result = fetched.error
        elif flow.intent == Intent.RECONNECT:
            result = _reconnect(db, flow, fetched.drafts, now)
        else:
            result = _save_within_plan(db, flow, fetched.drafts, now)
            if fetched.pending_instagram and result.status is FlowStatus.SUCCESS:
                result.status = FlowStatus.CONFIRM_INSTAGRAM
                result.instagram = fetched.pending_instagram
        oauth_flows.record_result(db, flow, _with_flow(flow, result))
        return result


def _record(flow_id: int, result: FlowOutcome) -> None:
    with session_scope() as db:
        flow = db.get(OAuthFlow, flow_id)
        if flow is None:
            raise NotFound("connect.flow_not_found")
        oauth_flows.record_result(db, flow, result)


async def _drafts(
    provider: Provider, platform: str, tokens: TokenSet
) -> tuple[list[AccountDraft], list[PendingInstagram]]:
    """The accounts one authorization yields, and (Facebook) the linked Instagram accounts to confirm."""
    expires = tokens.expires_at_datetime
    if platform != "facebook":
        identity = await provider.fetch_identity(tokens.access_token)  # refuses what the record refuses
        return [
            AccountDraft(
                platform=platform,
                external_id=identity.external_id,
                name=identity.name or identity.username or "",
                username=identity.username or "",
                avatar_url=identity.avatar_url or "",
                followers=identity.followers or 0,
                tokens=tokens.as_stored(),
                token_expires_at=expires,
                granted_scopes=tokens.scopes,
                publish_capable=publish_capable(platform, provider.info.connections[0].method.value, tokens.scopes),
                connection_method=provider.info.connections[0].method.value,
            )
        ], []
    pages = await provider.list_pages(tokens.access_token)
    if not pages:
        raise ProviderError(ErrorKind.MISSING_PERMISSION, "no_pages_found", platform)
    drafts: list[AccountDraft] = []
    linked: list[PendingInstagram] = []
    for page in pages:
        drafts.append(
            AccountDraft(
                platform="facebook",
                external_id=page.external_id,
                name=page.name,
                username="",
                avatar_url=page.avatar_url or "",
                followers=page.followers or 0,
                tokens={**tokens.as_stored(), "page_access_token": page.access_token or ""},
                token_expires_at=expires,
                granted_scopes=tokens.scopes,
                publish_capable=page.can_publish and publish_capable(platform, _PAGE.value, tokens.scopes),
                connection_method=_PAGE.value,
            )
        )
        if page.instagram:
            linked.append(
                PendingInstagram(
                    external_id=page.instagram.external_id,
                    username=page.instagram.username or "",
                    name=page.instagram.name or page.instagram.username or "",
                    avatar_url=page.instagram.avatar_url or "",
                    followers=page.instagram.followers or 0,
                    page_name=page.name,
                    page_external_id=page.external_id,
                )
            )
    return drafts, linked


def _save_within_plan(db: Session, flow: OAuthFlow, drafts: list[AccountDraft], now: datetime) -> FlowOutcome:
    """Add what the plan allows, in order, and say which accounts were left out and why."""
    plan = Plan(_workspace(db, flow.workspace_id).plan)
    added: list[AddedAccount] = []
    skipped: list[SkippedAccount] = []
    connected = accounts_store.active_account_count(db, flow.workspace_id)
    for draft in drafts:
        takes_a_slot = accounts_store.uses_a_slot(db, flow.workspace_id, draft)
        if takes_a_slot and slots_left(plan, connected) == 0:
            skipped.append(SkippedAccount(name=draft.name, platform=draft.platform, reason="plan_limit"))
            continue
        account = accounts_store.save_account(db, flow.workspace_id, draft, "connected", now)
        connected += takes_a_slot
        added.append(AddedAccount(id=account.id, name=draft.name, platform=draft.platform))
    return FlowOutcome(FlowStatus.SUCCESS, flow.platform, added=added, skipped=skipped, plan=plan.value)


def _reconnect(db: Session, flow: OAuthFlow, drafts: list[AccountDraft], now: datetime) -> FlowOutcome:
    """Refresh the same account in place; signing in as someone else is refused, naming both."""
    account = db.get(SocialAccount, flow.reconnect_account_id) if flow.reconnect_account_id is not None else None
    if account is None:  # start_flow checked it; accounts are never deleted, only disconnected
        raise NotFound("accounts.not_found")
    match = next((d for d in drafts if d.external_id == account.external_id and d.platform == account.platform), None)
    if match is None:
        signed_in_as = drafts[0].name if drafts else "?"
        return _error(flow.platform, "reconnect_wrong_account", expected=account.name, actual=signed_in_as)
    if account.disconnected_at is not None:
        # Bringing back a disconnected account takes a slot again, like a connect (finding 7).
        return _save_within_plan(db, flow, [match], now)
    accounts_store.save_account(db, flow.workspace_id, match, "reconnected", now)
    return FlowOutcome(
        FlowStatus.SUCCESS,
        flow.platform,
        added=[AddedAccount(id=account.id, name=account.name, platform=account.platform)],
        reconnected=True,
    )


async def confirm_instagram(user_id: int, flow_id: int, accept: bool, now: datetime | None = None) -> FlowOutcome:
    """Confirm & Connect Instagram (adds the linked accounts the plan allows) or Cancel (Facebook only)."""
    now = now or datetime.now(UTC)
    with session_scope() as db:
        found = oauth_flows.flow_result(db, flow_id, user_id)
        if found is None or found[1].status is not FlowStatus.CONFIRM_INSTAGRAM:
            raise NotFound("connect.flow_not_found")
        flow, result = found
        linked, result.instagram = result.instagram, []
        result.status = FlowStatus.SUCCESS
        if accept:
            drafts = [_instagram_draft(db, flow.workspace_id, item) for item in linked]
            extra = _save_within_plan(db, flow, [d for d in drafts if d is not None], now)
            result.added += extra.added
            result.skipped += extra.skipped
        else:
            result.instagram_declined = True
        oauth_flows.record_result(db, flow, result)
        workspace_id = flow.workspace_id
    await notify.workspace_changed(workspace_id)
    if accept:
        analytics_sync.backfill_in_background(extra.added)
    return result


_PAGE = ConnectionMethod.FACEBOOK_PAGE
_VIA_PAGE = INSTAGRAM.connection(_PAGE)


def _instagram_draft(db: Session, workspace_id: int, item: PendingInstagram) -> AccountDraft | None:
    page = accounts_store.find_account(db, workspace_id, "facebook", item["page_external_id"])
    tokens = load_tokens(db, saved_id(page)) if page else None
    if page is None or not tokens:
        return None
    scopes = tuple(page.granted_scopes.split())
    return AccountDraft(
        platform="instagram",
        external_id=item["external_id"],
        name=item["name"],
        username=item["username"],
        avatar_url=item["avatar_url"],
        followers=item["followers"],
        tokens={
            "access_token": tokens.get("page_access_token") or tokens["access_token"],
            "via_page": item["page_external_id"],
        },
        token_expires_at=page.token_expires_at,
        granted_scopes=scopes,
        publish_capable=publish_capable("instagram", _VIA_PAGE.method.value, scopes),
        connection_method=_VIA_PAGE.method.value,
        parent_external_id=item["page_external_id"],
    )


def flow_outcome(user_id: int, flow_id: int) -> FlowOutcome | None:
    """The stored result of one of the user's flows (names included), or None: the result page and
    the banner read names from here, never from the URL (pen-test finding 10). Blocking: call it
    from a thread (``db.run_db``) when on the event loop."""
    with session_scope() as db:
        found = oauth_flows.flow_result(db, flow_id, user_id)
        return found[1] if found else None


def _workspace(db: Session, workspace_id: int) -> Workspace:
    """A workspace the caller's membership already proved exists."""
    workspace = db.get(Workspace, workspace_id)
    if workspace is None:
        raise NotFound("workspace.not_found")
    return workspace


def _user(db: Session, user_id: int) -> User:
    user = db.get(User, user_id)
    if user is None:
        raise NotFound("auth.invalid_credentials")
    return user
