"""End-to-end harness: one production build of the real app per test run, shared by every browser
test, driven by Playwright in Debian's headless Chromium at desktop and mobile widths.

The server runs as a subprocess exactly as ``make run`` does (``reflex run --env prod
--single-port``) against a throw-away data folder; tests prepare data through the same services.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import httpx
import pytest
import redis
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.fake_openai import FakeChatServer

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MULTI_WORKER = os.environ.get("SOCIALIZIOZ_E2E_MULTI_WORKER") == "1"
MULTI_WORKER_REDIS = "redis://127.0.0.1:6379/7"
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "mobile": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
        "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    },
}


# expect() waits as long as actions do (15 s, set per context below) instead of Playwright's 5 s: on
# a loaded 2-core CI box a page after a full load can take longer than 5 s to show what it should,
# and a retried run costs far more. A passing check returns as soon as it holds.
expect.set_options(timeout=15_000)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _is_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


# The production build bakes the server's URL (port included) into .web/env.json, so a new port
# means a new build (~1 min on 2 cores). The harness keeps the port of the last build and serves
# through scripts/serve.py, which skips Reflex's compile and build when nothing that goes into it
# changed: the multi-worker run of scripts/test.sh and later runs reuse the first run's build.
PORT_FILE = ROOT / ".web" / ".socializioz-e2e-port"


def _build_port() -> int:
    """The port of the last e2e build in this checkout while it is free, else a new free one."""
    with contextlib.suppress(OSError, ValueError):
        port = int(PORT_FILE.read_text())
        if _is_free(port):
            return port
    return _free_port()


@dataclass(frozen=True)
class AppServer:
    base_url: str
    data_dir: Path
    sandbox_url: str

    def url(self, path: str) -> str:
        return self.base_url + path


def _wait_until_serving(url: str, process: subprocess.Popen, log: Path, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited while starting; see {log}:\n{log.read_text()[-4000:]}")
        try:
            if (
                httpx.get(url + "/ping", timeout=2).status_code == 200
                and httpx.get(url + "/", timeout=2).status_code == 200
            ):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the app did not start within {timeout} s; see {log}")


# The support assistant's model for the whole session: a small OpenAI-compatible server in this
# process (tests/fake_openai.py) that tests script through the ``fake_model`` fixture.
ASSISTANT_API_KEY = "sk-e2e-assistant-" + secrets.token_hex(8)


@pytest.fixture(scope="session")
def fake_model_server() -> Iterator[FakeChatServer]:
    server = FakeChatServer().start()
    yield server
    server.stop()


@pytest.fixture
def fake_model(fake_model_server: FakeChatServer) -> Iterator[FakeChatServer]:
    """The session's model server with no scripted reply and no recorded request left from another test."""
    fake_model_server.reset()
    yield fake_model_server
    fake_model_server.reset()


# Under pytest-xdist (scripts/test.sh runs the browser tests on two workers) every worker drives
# its own Chromium against ONE server: the first worker to ask starts it and writes how to reach
# it beside the workers' temporary folders; the others read that; the controller stops it at the
# end (``pytest_sessionfinish``). Tests that restart the server, arm the sandbox's process-wide
# faults or clock, or script the assistant's model are marked ``serial`` and run after, alone.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
SHARED_SERVER = "e2e-server.json"
SERIAL_MODULES = {
    "test_operator_settings",  # restarts the server with other settings (server_settings)
    "test_connect_errors",  # arms the sandbox's faults, which every tenant sees
    "test_publish_gaps",  # likewise
    "test_inbox",  # moves the sandbox's clock, shared by every tenant
    "test_assistant",  # scripts the model server the app was started with
    "test_security_auth",  # times the backend's answers under hostile input
}


@pytest.hookimpl(tryfirst=True)  # before ``-m`` selects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.module is not None and item.module.__name__.rsplit(".", 1)[-1] in SERIAL_MODULES:
            item.add_marker(pytest.mark.serial)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The xdist controller stops the server its workers shared."""
    if XDIST_WORKER or not hasattr(session.config, "_tmp_path_factory"):
        return
    info = session.config._tmp_path_factory.getbasetemp() / SHARED_SERVER
    if info.exists():
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(json.loads(info.read_text())["pid"], signal.SIGTERM)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory, fake_model_server: FakeChatServer) -> Iterator[AppServer]:
    if XDIST_WORKER:
        yield _shared_server(tmp_path_factory, fake_model_server.base_url)
        return
    with _exclusive_build():
        yield from _serve(tmp_path_factory, fake_model_server.base_url)


def _shared_server(tmp_path_factory: pytest.TempPathFactory, model_url: str) -> AppServer:
    root = tmp_path_factory.getbasetemp().parent  # the controller's: every worker's folder is in it
    info = root / SHARED_SERVER
    with (root / "e2e-server.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not info.exists():
            with _exclusive_build():
                server, running = _start(tmp_path_factory, model_url)
            shared = {k: v for k, v in running.env.items() if k.startswith("SOCIALIZIOZ_")}
            info.write_text(
                json.dumps(
                    {
                        "pid": running.process.pid,
                        "base_url": server.base_url,
                        "data_dir": str(server.data_dir),
                        "sandbox_url": server.sandbox_url,
                        "env": shared,
                    }
                )
            )
        data = json.loads(info.read_text())
    os.environ.update(data["env"])  # the tests' own service calls reach the server's database
    from socializioz import db, settings

    settings.get_settings.cache_clear()
    db.reset_engine()
    return AppServer(base_url=data["base_url"], data_dir=Path(data["data_dir"]), sandbox_url=data["sandbox_url"])


@contextlib.contextmanager
def _exclusive_build() -> Iterator[None]:
    """One production build at a time per checkout: Reflex builds into the shared ``.web`` folder."""
    with (ROOT / ".web-build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _multi_worker_env(name: str) -> dict[str, str]:
    """``SOCIALIZIOZ_E2E_MULTI_WORKER=1``: PostgreSQL (a fresh database) and Redis, so Reflex runs
    several backend workers, as a production install would (docs/architecture.md, "Several processes")."""
    if not MULTI_WORKER:
        return {}
    database = "sz_e2e_" + re.sub(r"\W", "_", name).lower()
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", database], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database], check=True)
    redis.Redis.from_url(MULTI_WORKER_REDIS).flushdb()  # no Reflex state left from an earlier run
    return {
        "SOCIALIZIOZ_DATABASE_URL": f"postgresql+psycopg://postgres@127.0.0.1:5432/{database}",
        "SOCIALIZIOZ_REDIS_URL": MULTI_WORKER_REDIS,
        # The sandbox stays mounted in every worker: its state is in this database.
    }


def _start(tmp_path_factory: pytest.TempPathFactory, model_url: str) -> tuple[AppServer, _Running]:
    """Migrate a fresh data folder and start the server on the build's port; returns once it serves."""
    data_dir = tmp_path_factory.mktemp("e2e-data")
    port = _build_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        **_multi_worker_env(data_dir.name),
        "SOCIALIZIOZ_DATA_DIR": str(data_dir),
        "SOCIALIZIOZ_PUBLIC_BASE_URL": base_url,
        "SOCIALIZIOZ_SANDBOX_CONTROL_ENABLED": "true",
        # As behind one reverse proxy: attack tests choose their client IP with X-Forwarded-For
        # (a request without the header keeps its peer address).
        "SOCIALIZIOZ_TRUSTED_PROXY_HOPS": "1",
        # every browser test signs up from 127.0.0.1: the hourly per-address budget is the unit tests' to check
        "SOCIALIZIOZ_SIGN_UPS_PER_IP_PER_HOUR": "1000",
        # the mounted sandbox delivers Meta webhooks to our own /webhooks/meta (comments, inbox)
        "SOCIALIZIOZ_META_WEBHOOK_VERIFY_TOKEN": "e2e-verify-token",
        "SOCIALIZIOZ_ASSISTANT_BASE_URL": model_url,
        "SOCIALIZIOZ_ASSISTANT_MODEL": "fake-support-model",
        "SOCIALIZIOZ_ASSISTANT_API_KEY": ASSISTANT_API_KEY,
        "SOCIALIZIOZ_ASSISTANT_TIMEOUT_SECONDS": "3",
        "REFLEX_API_URL": base_url,
        "REFLEX_DEPLOY_URL": base_url,
    }
    os.environ.update({k: v for k, v in env.items() if k.startswith("SOCIALIZIOZ_")})
    from socializioz import db, settings

    settings.get_settings.cache_clear()
    db.reset_engine()
    subprocess.run([sys.executable, "-m", "socializioz.cli", "migrate"], cwd=ROOT, env=env, check=True)
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / "e2e-server.log"
    running = _Running(_launch(env, port, log, "a" if XDIST_WORKER else "w"), env, port, log)
    try:
        _wait_until_serving(base_url, running.process, log)
    except RuntimeError:
        _stop(running.process)
        raise
    PORT_FILE.write_text(str(port))  # the next run reuses this build only on the same port
    server = AppServer(
        base_url=base_url,
        data_dir=data_dir,
        sandbox_url=env.get("SOCIALIZIOZ_PROVIDERS_SANDBOX_BASE_URL", base_url + "/sandbox"),
    )
    return server, running


def _serve(tmp_path_factory: pytest.TempPathFactory, model_url: str) -> Iterator[AppServer]:
    server, running = _start(tmp_path_factory, model_url)
    _RUNNING[:] = [running]
    try:
        yield server
    finally:
        _stop(running.process)


@dataclass
class _Running:
    process: subprocess.Popen
    env: dict[str, str]
    port: int
    log: Path


_RUNNING: list[_Running] = []  # the session's server: replaced while ``server_settings`` runs


def _launch(env: dict[str, str], port: int, log: Path, mode: str) -> subprocess.Popen:
    with log.open(mode) as log_file:
        return subprocess.Popen(
            [
                sys.executable,
                "scripts/serve.py",  # reflex run --env prod --single-port, reusing an unchanged build
                "--frontend-port",
                str(port),
                "--backend-port",
                str(port),
                "--backend-host",
                "127.0.0.1",
            ],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


@contextlib.contextmanager
def server_settings(app_server: AppServer, **settings: str) -> Iterator[None]:
    """The session's server with extra operator settings (``SOCIALIZIOZ_<NAME>``) for the block:
    the same port, data and production build, restarted with the settings and restarted back after,
    so a test can meet a misconfiguration (e.g. a client id without its secret) through the real app."""
    running = _RUNNING[0]
    extra = {f"SOCIALIZIOZ_{name.upper()}": value for name, value in settings.items()}

    def restart(env: dict[str, str]) -> None:
        _stop(running.process)
        running.process = _launch(env, running.port, running.log, "a")
        _wait_until_serving(app_server.base_url, running.process, running.log)

    restart({**running.env, **extra})
    try:
        yield
    finally:
        restart(running.env)


def _stop(process: subprocess.Popen) -> None:
    """Stop the server and everything it started (its own process group)."""
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=wait)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def page(browser: Browser, viewport: str, app_server: AppServer, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(base_url=app_server.base_url, **VIEWPORTS[viewport])
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        failures = ARTIFACTS / "failures"
        failures.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(failures / f"{request.node.name}.png"), full_page=True)
    context.close()


def screenshot(page: Page, name: str, viewport: str) -> Path:
    """Save a screenshot for human review under test-artifacts/screens/."""
    target = ARTIFACTS / "screens" / f"{name}-{viewport}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=True)
    return target


@dataclass(frozen=True)
class TestUser:
    __test__ = False  # a fixture value, not a test class

    email: str
    password: str
    name: str


@functools.cache
def _password_hash(password: str) -> str:
    """One real hash (production's Argon2 parameters) per password for the whole run: each costs
    0.2 s of CPU (2 s on a loaded box), and the server checks it like any other."""
    from socializioz.security import passwords

    return passwords._hasher().hash(password)  # what hash_password does (it is patched to this)


@pytest.fixture
def make_user(app_server: AppServer):
    """Create a user (with their own workspace on ``plan``) straight through the services."""
    from socializioz.db import session_scope
    from socializioz.domain.plans import Plan
    from socializioz.security import passwords
    from socializioz.services import auth, workspaces

    def create(
        name: str = "Test User", password: str = "correct-horse-battery", plan: str = "free", seen_tour: bool = True
    ) -> TestUser:
        email = f"user-{secrets.token_hex(4)}@example.test"
        with session_scope() as db, mock.patch.object(passwords, "hash_password", _password_hash):
            user = auth.sign_up(db, email, name, password)
            user.tour_done = seen_tour
            if plan != "free":
                workspaces.change_plan(db, user, user.active_workspace_id, Plan(plan))
        return TestUser(email=email, password=password, name=name)

    return create


@pytest.fixture
def signed_in(page: Page, make_user):
    """A signed-in user in their own workspace on the chosen plan, on the Connections page.

    Signed in without the form (``open_session``): the tests using this fixture are about other
    pages, and the form is clicked through by the tests about signing in (test_foundation_flows,
    test_security_auth, test_new_user_findings, ... call ``sign_in``)."""

    def create(plan: str = "free", name: str = "Test User") -> TestUser:
        user = make_user(name=name, plan=plan)
        open_session(page, user)
        page.goto("/")  # where the sign-in form sends a user without a "next"
        page.wait_for_selector("[data-tile='facebook']", timeout=30_000)  # set-up, not a check: room for a loaded box
        return user

    return create


def open_session(page: Page, user: TestUser) -> None:
    """The browser gets ``user``'s session cookie from the real ``POST /auth/session``, with a
    ticket issued through the services instead of the sign-in form (a page load and an Argon2 check
    saved per test)."""
    from sqlmodel import select

    from socializioz.db import session_scope
    from socializioz.models import User
    from socializioz.services import auth

    with session_scope() as db:
        ticket = auth.issue_sign_in_ticket(db, db.exec(select(User).where(User.email == user.email)).one())
    answer = page.context.request.post("/auth/session", data={"ticket": ticket})  # shares the page's cookies
    assert answer.status == 204, f"POST /auth/session answered {answer.status}"


def at(path: str, query: str | None = None) -> re.Pattern:
    """A URL matcher for a route; the production build serves routes with a trailing slash."""
    tail = r"\?" + re.escape(query) + r".*$" if query else r"(\?.*)?$"
    return re.compile(r"^https?://[^/]+" + re.escape(path.rstrip("/")) + r"/?" + tail)


def sign_in(page: Page, user: TestUser, next_path: str | None = None) -> None:
    page.goto("/sign-in" + (f"?next={next_path}" if next_path else ""))
    page.fill("#email", user.email)
    page.fill("#password", user.password)
    page.click("#sign-in-submit")
    page.wait_for_url(lambda url: "/sign-in" not in url)


def wait_for_tour_done(email: str, timeout: float = 20) -> None:
    """Closing the tour is recorded by an event after the popover closes: a loaded box lags, and a
    test that signs out or reloads at once would meet the tour again."""
    from sqlmodel import select

    from socializioz.db import session_scope
    from socializioz.models import User

    deadline = time.monotonic() + timeout
    while True:
        with session_scope() as db:
            if db.exec(select(User.tour_done).where(User.email == email)).one():
                return
        assert time.monotonic() < deadline, "closing the tour was never recorded"
        time.sleep(0.1)
