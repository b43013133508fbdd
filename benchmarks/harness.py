"""The production app in a process of its own, as the e2e harness starts it, for the benchmarks.

``reflex run --env prod --single-port`` against a throw-away data folder, with either SQLite (one
process: Reflex runs one worker without Redis) or PostgreSQL (a fresh ``sz_bench_*`` database)
plus Redis db 11 with ``GRANIAN_WORKERS`` workers (Reflex 0.10 serves the backend with granian
here: gunicorn is not installed; ``reflex/utils/exec.py`` ``run_granian_backend_prod``).

The benchmark process points its own ``socializioz`` settings at the same database, so it can
prepare users and accounts through the app's services before the measurement.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = "redis://127.0.0.1:6379/11"
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
BUILD_ENV = {  # the offline build settings of scripts/bootstrap.sh
    "PATH": f"{ROOT / 'tools/node_modules/.bin'}:{ROOT / '.venv/bin'}:{os.environ.get('PATH', '')}",
    "REFLEX_USE_SYSTEM_BUN": "1",
    "REFLEX_TELEMETRY_ENABLED": "false",
    "REFLEX_CHECK_LATEST_VERSION": "false",
    "NPM_CONFIG_REGISTRY": os.environ.get("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org/"),
}


@dataclass(frozen=True)
class Setup:
    database: str  # "sqlite" | "postgres"
    workers: int = 1

    @property
    def name(self) -> str:
        return "sqlite-1" if self.database == "sqlite" else f"pg+redis-{self.workers}"

    @classmethod
    def parse(cls, text: str) -> Setup:
        """``sqlite`` or ``pg1`` / ``pg2`` / ``pg4``."""
        if text == "sqlite":
            return cls("sqlite", 1)
        match = re.fullmatch(r"pg(\d+)", text)
        if not match:
            raise ValueError(f"unknown setup {text!r} (sqlite, pg1, pg2, pg4)")
        return cls("postgres", int(match.group(1)))


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def point_settings_at(env: dict[str, str]) -> None:
    """This process's ``socializioz`` settings and engine follow ``env`` (as tests/e2e/conftest.py does)."""
    for key in ("SOCIALIZIOZ_DATABASE_URL", "SOCIALIZIOZ_REDIS_URL"):
        os.environ.pop(key, None)
    os.environ.update({k: v for k, v in env.items() if k.startswith("SOCIALIZIOZ_")})
    from socializioz import db, settings
    from socializioz.integrations.config import get_provider_settings

    settings.get_settings.cache_clear()
    get_provider_settings.cache_clear()  # the sandbox URL of the provider clients
    db.reset_engine()


class App:
    """One running app; ``with App(setup, tag) as app: app.base_url``."""

    def __init__(self, setup: Setup, tag: str, extra_env: dict[str, str] | None = None):
        self.setup, self.tag, self.extra_env = setup, tag, extra_env or {}
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.data_dir = Path(tempfile.mkdtemp(prefix=f"sz-bench-{tag}-"))
        self.database = "sz_bench_" + re.sub(r"\W", "_", tag).lower()
        self.log = self.data_dir / "server.log"
        self.process: subprocess.Popen | None = None

    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            **BUILD_ENV,
            "SOCIALIZIOZ_DATA_DIR": str(self.data_dir),
            "SOCIALIZIOZ_PUBLIC_BASE_URL": self.base_url,
            "SOCIALIZIOZ_SANDBOX_CONTROL_ENABLED": "true",
            "REFLEX_API_URL": self.base_url,
            "REFLEX_DEPLOY_URL": self.base_url,
            **self.extra_env,
        }
        env.pop("SOCIALIZIOZ_DATABASE_URL", None)
        env.pop("SOCIALIZIOZ_REDIS_URL", None)
        if self.setup.database == "postgres":
            env.update(
                SOCIALIZIOZ_DATABASE_URL=POSTGRES.format(name=self.database),
                SOCIALIZIOZ_REDIS_URL=REDIS_URL,
                GRANIAN_WORKERS=str(self.setup.workers),
            )
        return env

    def __enter__(self) -> App:
        env = self.env()
        if self.setup.database == "postgres":
            subprocess.run(
                ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", self.database], check=True
            )
            subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", self.database], check=True)
            import redis

            redis.Redis.from_url(REDIS_URL).flushdb()
        point_settings_at(env)
        subprocess.run(
            [sys.executable, "-m", "socializioz.cli", "migrate"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "reflex",
                    "run",
                    "--env",
                    "prod",
                    "--single-port",
                    "--frontend-port",
                    str(self.port),
                    "--backend-port",
                    str(self.port),
                    "--backend-host",
                    "127.0.0.1",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait()
        return self

    def _wait(self, timeout: float = 600) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app exited while starting:\n{self.log.read_text()[-3000:]}")
            try:
                # every worker up: granian starts them one after another
                if (
                    httpx.get(self.base_url + "/ping", timeout=2).status_code == 200
                    and len(self.workers()) >= self.setup.workers
                ):
                    time.sleep(1)
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"the app did not start; see {self.log}")

    def processes(self) -> list[psutil.Process]:
        try:
            root = psutil.Process(self.process.pid)
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def workers(self) -> list[psutil.Process]:
        """The processes that serve requests: the leaves of the tree (granian's workers)."""
        procs = self.processes()
        leaves = []
        for p in procs:
            with contextlib.suppress(psutil.NoSuchProcess):
                if not p.children():
                    leaves.append(p)
        return leaves

    def cpu_s(self) -> float:
        """CPU seconds (user + system) used so far by the whole server tree."""
        total = 0.0
        for p in self.processes():
            with contextlib.suppress(psutil.NoSuchProcess):
                times = p.cpu_times()
                total += times.user + times.system
        return total

    def rss_mb(self) -> dict[str, float]:
        """RSS (MB) of every worker, and of the whole tree."""
        out = {}
        for p in self.workers():
            with contextlib.suppress(psutil.NoSuchProcess):
                out[str(p.pid)] = round(p.memory_info().rss / 2**20, 1)
        total = 0.0
        for p in self.processes():
            with contextlib.suppress(psutil.NoSuchProcess):
                total += p.memory_info().rss / 2**20
        out["tree"] = round(total, 1)
        return out

    def __exit__(self, *_exc) -> None:
        import signal

        if self.process is not None:
            for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
                try:
                    os.killpg(self.process.pid, sig)
                    self.process.wait(timeout=wait)
                    break
                except ProcessLookupError:
                    break
                except subprocess.TimeoutExpired:
                    continue
        from socializioz import db

        db.reset_engine()
        if self.setup.database == "postgres":
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", self.database])
        shutil.rmtree(self.data_dir, ignore_errors=True)


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f}/{five:.1f}"


def other_activity() -> str:
    """What else runs on the machine: other worktrees' servers, pytest runs and browsers."""
    kinds = {"pytest": 0, "reflex run": 0, "chromium": 0}
    for p in psutil.process_iter(["cmdline"]):
        line = " ".join(p.info["cmdline"] or [])
        for kind in kinds:
            if kind in line and "--type=" not in line:
                kinds[kind] += 1
    return ", ".join(f"{k}: {v}" for k, v in kinds.items())


def _serve_sandbox(path: str, port: int) -> None:
    """The sandbox's own process: its state is the SQLite file the benchmark seeded."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.routing import Mount

    from socializioz import db as database
    from socializioz.integrations.sandbox import build_sandbox_app

    app = build_sandbox_app(engine=database.create_engine_for(f"sqlite:///{path}"))
    uvicorn.run(Starlette(routes=[Mount("/sandbox", app=app)]), host="127.0.0.1", port=port, log_level="warning")


def sandbox_process(path: str) -> tuple[multiprocessing.Process, str]:
    """The sandbox served from ``path`` by a process of its own on a loopback port, as a platform is
    another machine: its CPU is not the measured process's. Returns (process, its base URL)."""
    port = free_port()
    process = multiprocessing.get_context("spawn").Process(target=_serve_sandbox, args=(path, port), daemon=True)
    process.start()
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, f"http://127.0.0.1:{port}/sandbox"
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
