"""Who is signed in, in which workspace, in which language: the one state every page reads.

The browser holds only the HttpOnly session cookie; it reaches us in the websocket handshake
headers, so a full page load after sign-in/out is what switches identity.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import quote

import reflex as rx
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from socializioz import i18n, routes
from socializioz.domain import roles
from socializioz.security.tokens import hash_token
from socializioz.services import auth, members
from socializioz.services.members import Member

__all__ = ["Member", "SessionState", "workspace_data"]


class SessionState(rx.State):
    lang: str = rx.LocalStorage(i18n.DEFAULT_LANGUAGE, name="sz_lang")
    signed_in: bool = False
    checked: bool = False
    user_name: str = ""
    user_email: str = ""
    workspace_id: rx.Field[int] = rx.field(0)
    workspace_name: str = ""
    plan: rx.Field[str] = rx.field("free")
    role: str = ""
    workspaces: list[dict[str, str]] = []
    _tour_done: bool = False
    _onboarding_step: int = 0  # the set-up wizard's step to resume at; 0 when done
    _bound_session: str = ""  # hash of the session this tab's cached workspace data belongs to

    @rx.var
    def messages(self) -> dict[str, str]:
        return i18n.catalogue(self.lang)

    @rx.var
    def text_direction(self) -> str:
        return i18n.direction(self.lang)

    @rx.var
    def is_admin(self) -> bool:
        return roles.manages(self.role)

    @rx.var
    def is_owner(self) -> bool:
        return roles.owns(self.role)

    def _session_token(self) -> str:
        cookie = SimpleCookie()
        cookie.load(self.router.headers.cookie or "")
        morsel = cookie.get(auth.SESSION_COOKIE)
        return morsel.value if morsel else ""

    def _current_user(self, db):
        token = self._session_token()
        return auth.user_for_session(db, token) if token else None

    @contextlib.contextmanager
    def user_scope(self) -> Iterator[tuple[Session, Any]]:
        """A database session (opened by ``services.members``) and the signed-in user, or ``None``."""
        with members.user_scope(self._current_user) as scope:
            yield scope

    async def member(self) -> Member | None:
        """Who is calling, freshly checked off the event loop: the session cookie of this socket,
        then the membership and role in the workspace the tab shows (or the user's active one
        when that membership is gone). ``None`` when the session has ended."""
        return await run_in_threadpool(
            members.current_member, self._current_user, self._session_token(), self.workspace_id
        )

    async def bind_tab(self, member: Member) -> None:
        """This tab is about to hold ``member``'s workspace data: register it for pushes, and
        remember which session it belongs to (``state.live.forget_if_rebound`` checks that)."""
        self._bound_session = hash_token(member.session_token)
        await run_in_threadpool(members.register_tab, self.router.session.client_token, member)

    def t(self, key: str, **params: object) -> str:
        """A message in the user's language, formatted on the server."""
        return i18n.translate(self.lang, key, **params)

    def _apply_profile(self, profile: dict) -> None:
        self.signed_in = True
        self.user_name, self.user_email = profile["user_name"], profile["user_email"]
        self._tour_done = profile["tour_done"]
        self._onboarding_step = profile["onboarding_step"]
        if profile["language"] in i18n.LANGUAGES:
            self.lang = profile["language"]
        self.workspace_id, self.workspace_name = profile["workspace_id"], profile["workspace_name"]
        self.plan, self.role, self.workspaces = profile["plan"], profile["role"], profile["workspaces"]

    def _load_user(self, db, user) -> None:
        """For callers that already hold a database session and the user."""
        self._apply_profile(members.profile_of(db, user))

    async def reload_profile(self) -> bool:
        """Re-read the user and workspace off the event loop; forget the tab when signed out."""
        profile = await run_in_threadpool(members.profile, self._current_user)
        if profile is None:
            await self.forget_tab()
            return False
        self._apply_profile(profile)
        return True

    async def forget_tab(self) -> None:
        """Sign-out or an ended session: drop everything this tab cached about the user and the
        workspace (the language choice stays), so nothing is served from it again."""
        lang = self.lang
        self.reset()
        self.lang, self._bound_session = lang, ""
        for state_cls in _WORKSPACE_DATA:
            (await self.get_state(state_cls)).reset()

    @rx.event
    def apply_direction(self):
        """Put ``lang``/``dir`` on <html> so the whole document, portals included, mirrors."""
        return rx.call_script(
            f"document.documentElement.lang='{i18n.normalise_language(self.lang)}';"
            f"document.documentElement.dir='{self.text_direction}'"
        )

    @rx.event
    async def require_user(self):
        """on_load of every signed-in page: load the user or send them to sign in and back."""
        if not await self.reload_profile():
            self.checked = True
            path = self.router.url.path or routes.CONNECTIONS
            query = self.router.url.query
            target = path + (f"?{query}" if query else "")
            return [SessionState.apply_direction, rx.redirect(f"{routes.SIGN_IN}?next={quote(target, safe='')}")]
        self.checked = True
        return SessionState.apply_direction

    @rx.event
    def go_home(self):
        """``/`` after ``require_user``: the set-up wizard while it is unfinished (a new sign-up, or
        a user who left it halfway), else Connections."""
        if not self.signed_in:
            return None
        return rx.redirect(routes.ONBOARDING if self._onboarding_step else routes.CONNECTIONS, replace=True)

    @rx.event
    async def redirect_if_signed_in(self):
        """on_load of the sign-in and sign-up pages."""
        if await self.member() is not None:
            return rx.redirect(routes.CONNECTIONS)
        await self.forget_tab()
        return SessionState.apply_direction

    @rx.event
    async def toggle_language(self):
        self.lang = "ar" if i18n.normalise_language(self.lang) == "en" else "en"
        if self.signed_in:
            await run_in_threadpool(members.save_language, self._current_user, self.lang)
        return SessionState.apply_direction

    @rx.event
    async def switch_workspace(self, workspace_id: str):
        problem = await run_in_threadpool(members.switch_workspace, self._current_user, workspace_id)
        if problem == "signed_out":
            await self.forget_tab()
            return rx.redirect(routes.SIGN_IN)
        if problem:
            return rx.toast.error(self.t(problem))
        if not await self.reload_profile():
            return rx.redirect(routes.SIGN_IN)
        return rx.toast.success(self.t("workspace.switched", name=self.workspace_name))

    @rx.event
    async def sign_out(self):
        """Forget the tab's data, ask the server to drop the session and the cookie, then reload so
        the socket forgets us."""
        await self.forget_tab()
        return rx.call_script(
            "fetch('/auth/sign-out',{method:'POST',credentials:'same-origin'})"
            f".finally(()=>window.location.assign('{routes.SIGN_IN}'))"
        )


_WORKSPACE_DATA: list[type[rx.State]] = []


def workspace_data(state_cls: type[rx.State]) -> type[rx.State]:
    """Class decorator: this state caches workspace data and is wiped with the tab on sign-out."""
    _WORKSPACE_DATA.append(state_cls)
    return state_cls
