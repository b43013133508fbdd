"""Where token-encryption keys come from: the environment, or a key file generated once.

``SOCIALIZIOZ_ENCRYPTION_KEYS`` ("keyid:base64key,...", first one primary) wins. Without it the
embedded setup keeps its keys in ``<data_dir>/keys.json`` (mode 0600, never committed), created
on first use. All keys decrypt; only the primary encrypts.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from socializioz.settings import Settings, get_settings

KEY_BYTES = 32  # AES-256


class KeyConfigError(RuntimeError):
    """The configured keys are unusable; startup must stop rather than guess."""


@dataclass(frozen=True)
class KeyRing:
    primary_id: str
    keys: dict[str, bytes]

    def with_new_primary(self) -> KeyRing:
        key_id = f"k{secrets.token_hex(4)}"
        return KeyRing(key_id, {key_id: secrets.token_bytes(KEY_BYTES), **self.keys})

    def only_primary(self) -> KeyRing:
        return KeyRing(self.primary_id, {self.primary_id: self.keys[self.primary_id]})


def key_file(settings: Settings | None = None) -> Path:
    return (settings or get_settings()).data_dir / "keys.json"


def uses_key_file(settings: Settings | None = None) -> bool:
    return not (settings or get_settings()).encryption_keys.get_secret_value().strip()


def load_keyring(settings: Settings | None = None) -> KeyRing:
    """The current keys; read on every call so a rotation by another process is seen at once."""
    settings = settings or get_settings()
    if not uses_key_file(settings):
        return _parse(settings.encryption_keys.get_secret_value())
    path = key_file(settings)
    if not path.exists():
        _create_once(path, KeyRing("", {}).with_new_primary())
    return _read(path)


def save_keyring(ring: KeyRing, settings: Settings | None = None) -> None:
    """Replace the key file atomically (only for the key-file setup)."""
    if not uses_key_file(settings):
        raise KeyConfigError("keys come from SOCIALIZIOZ_ENCRYPTION_KEYS; edit that instead")
    path = key_file(settings)
    tmp = _write_private(path.with_suffix(f".{secrets.token_hex(4)}.tmp"), ring)
    os.replace(tmp, path)


def _parse(spec: str) -> KeyRing:
    keys: dict[str, bytes] = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        key_id, sep, encoded = item.partition(":")
        if not sep or not key_id:
            raise KeyConfigError("each encryption key must look like keyid:base64key")
        keys[key_id] = _decode(key_id, encoded)
    return KeyRing(next(iter(keys)), keys)


def _decode(key_id: str, encoded: str) -> bytes:
    try:
        key = base64.b64decode(encoded, validate=True)
    except ValueError as exc:
        raise KeyConfigError(f"key {key_id!r} is not valid base64") from exc
    if len(key) != KEY_BYTES:
        raise KeyConfigError(f"key {key_id!r} must decode to {KEY_BYTES} bytes")
    return key


def _read(path: Path) -> KeyRing:
    data = json.loads(path.read_text())
    keys = {item["id"]: _decode(item["id"], item["key"]) for item in data["keys"]}
    return KeyRing(data["primary"], keys)


def _write_private(path: Path, ring: KeyRing) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "primary": ring.primary_id,
        "keys": [{"id": k, "key": base64.b64encode(v).decode()} for k, v in ring.keys.items()],
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(payload, handle, indent=2)
    return path


def _create_once(path: Path, ring: KeyRing) -> None:
    """Create the key file unless another process won the race (then its keys are used)."""
    tmp = _write_private(path.with_suffix(f".{secrets.token_hex(4)}.tmp"), ring)
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
