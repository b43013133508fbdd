"""The plain OAuth 2.0 authorization-code and refresh-token grants (RFC 6749 §4.1 and §6) at one
token endpoint, as X, LinkedIn and TikTok use them. A platform says where its endpoint is, what
else its token requests carry and how it checks an answer; the two requests are written once here.
(Facebook and Instagram exchange and extend tokens their own way and do not use this.)"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from .base import Provider
from .classify import Stage
from .models import TokenSet


class CodeGrantProvider(Provider):
    # Send the client's credentials in the request body instead of the chosen auth method (TikTok).
    credentials_in_body: ClassVar[bool] = False

    def token_endpoint(self) -> str:
        raise NotImplementedError

    def token_params(self) -> dict[str, str]:
        """What the platform wants in every token request beyond the grant's own fields."""
        return {}

    def checked_token(self, stage: Stage, body: Mapping[str, Any], previous: TokenSet | None = None) -> TokenSet:
        """The answer as a TokenSet; a 200 without an access token is the spec's ``no_access_token``."""
        return self.token_set_or_no_access_token(stage, body, previous=previous)

    async def exchange_code(self, code: str, *, redirect_uri: str, code_verifier: str | None = None) -> TokenSet:
        verifier = {"code_verifier": code_verifier} if code_verifier and self.uses_pkce else {}
        body = await self.token_request(
            Stage.TOKEN_EXCHANGE,
            self.token_endpoint(),
            grant_type="authorization_code",
            params_auth=self.credentials_in_body,
            code=code,
            redirect_uri=redirect_uri,
            **self.token_params(),
            **verifier,
        )
        return self.checked_token(Stage.TOKEN_EXCHANGE, body)

    async def refresh(self, token: TokenSet) -> TokenSet:
        """The new refresh token in the answer replaces the old one, which stops working (X's and
        TikTok's are single use); without one, the base class says the platform has no refresh."""
        if not token.refresh_token:
            return await super().refresh(token)
        body = await self.token_request(
            Stage.REFRESH,
            self.token_endpoint(),
            grant_type="refresh_token",
            params_auth=self.credentials_in_body,
            refresh_token=token.refresh_token,
            **self.token_params(),
        )
        return self.checked_token(Stage.REFRESH, body, previous=token)
