"""``reflex run --env prod --single-port`` that skips Reflex's compile and frontend build when
nothing that goes into the build changed since the last one this script made.

Reflex rebuilds the production frontend on every start (10-15 s here). The build depends only on
the app's sources, assets, the Reflex config and lock, the pinned packages, and the backend URL
baked into ``.web/env.json``; this script fingerprints those and, when the fingerprint and the
build output are exactly as it left them, tells Reflex the frontend is ready. Any other build of
``.web`` (the e2e harness builds there too) changes the output and forces a rebuild.

    python scripts/serve.py [reflex run options...]
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / ".web"
STAMP = WEB / ".socializioz-build-stamp"
INPUTS = ("socializioz", "assets", "rxconfig.py", "reflex.lock", "requirements.txt", "constraints.txt")
BUILD_ENV = ("REFLEX_API_URL", "REFLEX_DEPLOY_URL", "REFLEX_FRONTEND_PATH", "REFLEX_BACKEND_PATH")


def _files(path: Path):
    if path.is_file():
        yield path
    elif path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and "__pycache__" not in child.parts:
                yield child


def source_fingerprint(args: list[str]) -> str:
    """What goes into a build: source files, locks, pins, build-time env and run options."""
    digest = hashlib.sha256()
    for name in INPUTS:
        for file in _files(ROOT / name):
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    for key in BUILD_ENV:
        digest.update(f"{key}={os.environ.get(key, '')}".encode())
    digest.update(" ".join(args).encode())
    return digest.hexdigest()


def output_fingerprint() -> str:
    """The build output as the last build left it (names, sizes, modification times)."""
    digest = hashlib.sha256()
    for file in [WEB / "env.json", *_files(WEB / "build" / "client")]:
        if file.exists():
            stat = file.stat()
            digest.update(f"{file.relative_to(WEB)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def build_is_current(args: list[str]) -> bool:
    if not STAMP.exists() or not (WEB / "build" / "client").is_dir():
        return False
    return STAMP.read_text().split() == [source_fingerprint(args), output_fingerprint()]


def main(args: list[str]) -> None:
    from reflex import reflex as reflex_cli
    from reflex.utils import build

    if build_is_current(args):
        print("==> Sources unchanged since the last build: serving it as it is", flush=True)
        reflex_cli._compile_app = lambda **_kwargs: None
        build.setup_frontend_prod = lambda _root: None
    else:
        STAMP.unlink(missing_ok=True)
        fingerprint = source_fingerprint(args)
        setup = build.setup_frontend_prod

        def setup_and_stamp(root: Path) -> None:
            setup(root)
            STAMP.write_text(f"{fingerprint} {output_fingerprint()}")

        build.setup_frontend_prod = setup_and_stamp
    sys.argv = ["reflex", "run", "--env", "prod", "--single-port", *args]
    reflex_cli.cli()


if __name__ == "__main__":
    main(sys.argv[1:])
