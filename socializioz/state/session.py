"""Who is signed in, in which workspace, in which language: the one state every page reads.

The browser holds only the HttpOnly session cookie; it reaches us in the websocket handshake
headers, so a full page load after sign-in/out is what switches identity.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from http.cookies import SimpleCookie
from urllib.parse import quote

import reflex as rx
from sqlmodel import Session

from socializioz import i18n
from socializioz.db import session_scope
from socializioz.models import User
from socializioz.pages import routes
from socializioz.services import auth, workspaces
from socializioz.services.errors import ServiceError


class SessionState(rx.State):
    lang: str = rx.LocalStorage(i18n.DEFAULT_LANGUAGE, name="sz_lang")
    signed_in: bool = False
    checked: bool = False
    user_name: str = ""
    user_email: str = ""
    workspace_id: int = 0
    workspace_name: str = ""
    plan: str = "free"
    role: str = ""
    workspaces: list[dict[str, str]] = []
    _tour_done: bool = False

    @rx.var
    def messages(self) -> dict[str, str]:
        return i18n.catalogue(self.lang)

    @rx.var
    def text_direction(self) -> str:
        return i18n.direction(self.lang)

    @rx.var
    def is_admin(self) -> bool:
        return self.role in ("owner", "admin")

    @rx.var
    def is_owner(self) -> bool:
        return self.role == "owner"

    def _session_token(self) -> str:
        cookie = SimpleCookie()
        cookie.load(self.router.headers.cookie or "")
        morsel = cookie.get(auth.SESSION_COOKIE)
        return morsel.value if morsel else ""

    def _current_user(self, db):
        token = self._session_token()
        return auth.user_for_session(db, token) if token else None

    @contextlib.contextmanager
    def user_scope(self) -> Iterator[tuple[Session, User | None]]:
        """A database session and the signed-in user (``None`` once the session has ended)."""
        with session_scope() as db:
            yield db, self._current_user(db)

    def t(self, key: str, **params: object) -> str:
        """A message in the user's language, formatted on the server."""
        return i18n.translate(self.lang, key, **params)

    def _load_user(self, db, user) -> None:
        self.signed_in = True
        self.user_name = user.name
        self.user_email = user.email
        self._tour_done = user.tour_done
        if user.language in i18n.LANGUAGES:
            self.lang = user.language
        active = workspaces.active_workspace(db, user)
        self.workspace_id = active.id
        self.workspace_name = active.name
        self.plan = active.plan
        self.role = active.role
        self.workspaces = [
            {"id": str(w.id), "name": w.name, "plan": w.plan, "role": w.role}
            for w in workspaces.workspaces_for(db, user)
        ]

    @rx.event
    def apply_direction(self):
        """Put ``lang``/``dir`` on <html> so the whole document, portals included, mirrors."""
        return rx.call_script(
            f"document.documentElement.lang='{i18n.normalise_language(self.lang)}';"
            f"document.documentElement.dir='{self.text_direction}'"
        )

    @rx.event
    def require_user(self):
        """on_load of every signed-in page: load the user or send them to sign in and back."""
        with self.user_scope() as (db, user):
            if user is None:
                self.signed_in = False
                self.checked = True
                path = self.router.url.path or routes.CONNECTIONS
                query = self.router.url.query
                target = path + (f"?{query}" if query else "")
                return [SessionState.apply_direction, rx.redirect(f"{routes.SIGN_IN}?next={quote(target, safe='')}")]
            self._load_user(db, user)
        self.checked = True
        return SessionState.apply_direction

    @rx.event
    def redirect_if_signed_in(self):
        """on_load of the sign-in and sign-up pages."""
        with self.user_scope() as (_db, user):
            signed_in = user is not None
        if signed_in:
            return rx.redirect(routes.CONNECTIONS)
        return SessionState.apply_direction

    @rx.event
    def toggle_language(self):
        self.lang = "ar" if i18n.normalise_language(self.lang) == "en" else "en"
        if self.signed_in:
            with self.user_scope() as (db, user):
                if user is not None:
                    user.language = self.lang
                    db.add(user)
        return SessionState.apply_direction

    @rx.event
    def switch_workspace(self, workspace_id: str):
        with self.user_scope() as (db, user):
            if user is None:
                return rx.redirect(routes.SIGN_IN)
            try:
                workspaces.set_active_workspace(db, user, int(workspace_id))
            except (ServiceError, ValueError):
                return rx.toast.error(self.t("workspace.not_found"))
            self._load_user(db, user)
        return rx.toast.success(self.t("workspace.switched", name=self.workspace_name))

    @rx.event
    def sign_out(self):
        """Ask the server to drop the session and the cookie, then reload so the socket forgets us."""
        return rx.call_script(
            "fetch('/auth/sign-out',{method:'POST',credentials:'same-origin'})"
            f".finally(()=>window.location.assign('{routes.SIGN_IN}'))"
        )

