"""The sandbox tenant tag: which workspace a sandbox authorization belongs to, unforgeable.

The app adds ``sandbox_tenant=<tag>`` to authorization URLs of platforms that run on the sandbox.
The tag is an HMAC of the workspace id under a key derived from the app's primary encryption key,
so a member who sees their own tag cannot compute another workspace's. The sandbox keys codes,
tokens and the posts and comments made with them by this tag. (Rotating the primary key moves a
workspace to a fresh sandbox tenant; sandbox data is disposable.)
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from socializioz.security.keys import load_keyring

from .consent import TENANT_PARAM

_PURPOSE = b"socializioz/sandbox-tenant/v1"


def tenant_tag(workspace_id: int) -> str:
    ring = load_keyring()
    key = hmac.new(ring.keys[ring.primary_id], _PURPOSE, hashlib.sha256).digest()
    return hmac.new(key, str(int(workspace_id)).encode(), hashlib.sha256).hexdigest()[:32]


def with_tenant(url: str, workspace_id: int) -> str:
    """``url`` with this workspace's tag as ``sandbox_tenant`` (replacing any already there)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != TENANT_PARAM] + [
        (TENANT_PARAM, tenant_tag(workspace_id))
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))
