"""Instagram comment management, shared by both Instagram clients (reference/engagement.md §2):
the Instagram-Login client on graph.instagram.com and the Facebook client for a Page-linked
account on graph.facebook.com call the same edges with different hosts, tokens and scopes.

One level of threads: ``replies`` are read nested under their top-level comment and flattened
here with ``parent_id``; a reply goes to ``/{comment-id}/replies`` of a top-level comment.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from socializioz.domain.errors import ProviderError

from .base import Provider, as_int, parse_time
from .classify import Stage
from .instagram_publishing import name_the_scope
from .models import AccountRef, ManagedComment

COMMENT_FIELDS = "id,text,timestamp,username,like_count,hidden,from{id,username},parent_id"
LIST_FIELDS = f"{COMMENT_FIELDS},replies{{{COMMENT_FIELDS}}}"


@dataclass(frozen=True)
class InstagramComments:
    """The comment edges on one Graph host; ``read_scope`` / ``write_scope`` name what a refusal means."""

    provider: Provider
    graph: Callable[[str], str]
    read_scope: str
    write_scope: str

    async def _call(self, method: str, path: str, token: str, scope: str, **kwargs: Any) -> dict[str, Any]:
        try:
            return await self.provider.api_json(
                Stage.READ, method, self.graph(path), token, required_scope=scope, **kwargs
            )
        except ProviderError as error:
            raise name_the_scope(error) from None

    async def list(self, account: AccountRef, media_id: str, limit: int = 50) -> list[ManagedComment]:
        body = await self._call(
            "GET",
            f"/{media_id}/comments",
            account.access_token,
            self.read_scope,
            params={"fields": LIST_FIELDS, "limit": str(limit)},
        )
        out: list[ManagedComment] = []
        for item in body.get("data", []):
            if not isinstance(item, dict) or not item.get("id"):
                continue
            out.append(_comment(item, media_id, account.external_id, None))
            replies = (item.get("replies") or {}).get("data") or []
            out += [
                _comment(r, media_id, account.external_id, str(item["id"]))
                for r in replies
                if isinstance(r, dict) and r.get("id")
            ]
        return out

    async def reply(self, account: AccountRef, comment_id: str, text: str) -> str:
        body = await self._call(
            "POST", f"/{comment_id}/replies", account.access_token, self.write_scope, data={"message": text}
        )
        return str(body.get("id") or "")

    async def hide(self, account: AccountRef, comment_id: str, hidden: bool) -> None:
        await self._call(
            "POST", f"/{comment_id}", account.access_token, self.write_scope, data={"hide": str(hidden).lower()}
        )

    async def delete(self, account: AccountRef, comment_id: str) -> None:
        await self._call("DELETE", f"/{comment_id}", account.access_token, self.write_scope)


def _comment(item: Mapping[str, Any], media_id: str, owner_id: str, parent: str | None) -> ManagedComment:
    author = item.get("from") or {}
    author_id = str(author.get("id") or "")
    return ManagedComment(
        external_id=str(item["id"]),
        post_external_id=media_id,
        text=str(item.get("text") or ""),
        created_at=parse_time(item.get("timestamp")),
        author_id=author_id,
        author_name=str(author.get("username") or item.get("username") or ""),  # ``from`` may be withheld
        parent_id=parent or (str(item["parent_id"]) if item.get("parent_id") else None),
        like_count=as_int(item.get("like_count")) or 0,
        hidden=bool(item.get("hidden")),
        by_account=bool(author_id) and author_id == owner_id,
    )
