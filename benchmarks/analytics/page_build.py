"""Benchmark: the analytics page's server time to build its view, and the payload it sends, for
500 accounts × 365 days against 5 accounts × 365 days in the same run and the same database.

    .venv/bin/python -m benchmarks.analytics.page_build --sqlite          # a SQLite file in a temp folder
    .venv/bin/python -m benchmarks.analytics.page_build                   # PostgreSQL on 127.0.0.1 (createdb/dropdb)
    .venv/bin/python -m benchmarks.analytics.page_build --large 500 --repeats 30

Data (tests/analytics_data.py, written straight into the sync job's tables, its daily rollup
rebuilt once per platform at the end): every account has 365
days of followers, views and engagement rows (plus reach on Facebook, Instagram and LinkedIn), a
post every 5 days with two metric snapshots, and a published target every 10 days. What is timed
is what a page load does on the server: ``services.analytics_view.build_view`` (membership check,
range in the workspace's zone, every aggregate statement) plus ``state.analytics.display`` (the
rows formatted for the browser). Payload: the JSON of those rows. One JSON line per (size, range);
the ratio of the large workspace's p50/p95 to the small one's, target ≤ 1.5.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import tempfile
import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from benchmarks.harness import POSTGRES, load_average, other_activity, point_settings_at

DATABASE = "sz_bench_anui_page"
DAYS = 365
POST_EVERY = 5
PUBLISH_EVERY = 10


def _database(sqlite: bool, folder: str) -> str:
    if sqlite:
        return f"sqlite:///{folder}/bench.db"
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DATABASE], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE], check=True)
    return POSTGRES.format(name=DATABASE)


def _workspace(n: int, today) -> tuple[object, int]:
    """A workspace with ``n`` accounts and a year of rows; returns (user, workspace id)."""
    from sqlmodel import select

    from socializioz.db import session_scope
    from socializioz.domain.plans import Plan
    from socializioz.models import Post, PostTarget, SocialAccount
    from socializioz.services import analytics_rollup, auth, published_counts, workspaces
    from tests.analytics_data import PLATFORMS, Curve, add_accounts, add_metric_days, add_post, noon

    first = today - timedelta(days=DAYS - 1)
    with session_scope() as db:
        user = auth.sign_up(db, f"bench-{n}-{time.time_ns()}@example.test", f"Bench {n}", "a-long-password")
        workspaces.change_plan(db, user, user.active_workspace_id, Plan.ENTERPRISE)
        workspace_id = user.active_workspace_id
        for k, account in enumerate(add_accounts(db, workspace_id, n, prefix=f"b{n}")):
            add_metric_days(db, account, first, today, Curve(1000 + k, 1 + k % 7), rollup=False)
            for d in range(0, DAYS, POST_EVERY):
                day = first + timedelta(days=d)
                add_post(
                    db, account, f"{account.id}-{d}", noon(day), likes=(k * 7 + d) % 300, comments=d % 40, views=d * 10
                )
            db.commit()
        for platform in PLATFORMS:  # the sync's daily rollup, as it would stand after the year's syncs
            analytics_rollup.rebuild(db, workspace_id, platform, first, today)
        db.commit()
        accounts = db.exec(select(SocialAccount.id).where(SocialAccount.workspace_id == workspace_id)).all()
        # One target per (post, account): a post per publish day, as the composer makes them.
        for d in range(0, DAYS, PUBLISH_EVERY):
            day_post = Post(workspace_id=workspace_id, author_id=user.id, text=f"bench {d}", status="published")
            db.add(day_post)
            db.flush()
            db.execute(
                sa.insert(PostTarget),
                [
                    {
                        "post_id": day_post.id,
                        "account_id": a,
                        "status": "published",
                        "published_at": noon(first + timedelta(days=d)),
                    }
                    for a in accounts
                ],
            )
        published_counts.rebuild(db, workspace_id)  # as the publisher would have counted them
        db.commit()
        return user, workspace_id


def _build(user, workspace_id: int, preset: int) -> tuple[float, int, float]:
    """One page load's server work: (milliseconds, payload bytes, CPU milliseconds of this process:
    on a shared machine the wall time mostly measures the wait for a core; on SQLite the CPU time
    includes the database's work, on PostgreSQL it does not)."""
    from socializioz.services.analytics_view import build_view
    from socializioz.state.analytics import display

    began, cpu = time.perf_counter(), time.process_time()
    shown = display(build_view(user, workspace_id, preset=preset), "en")
    return (time.perf_counter() - began) * 1000, len(json.dumps(shown)), (time.process_time() - cpu) * 1000


def _percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return (
        round(statistics.median(ordered), 1),
        round(ordered[min(len(ordered) - 1, math.ceil(len(ordered) * 0.95) - 1)], 1),
    )


def _summary(samples: list[tuple[float, int, float]]) -> dict:
    p50, p95 = _percentiles([ms for ms, _, _ in samples])
    cpu50, cpu95 = _percentiles([cpu for _, _, cpu in samples])
    return {
        "p50_ms": p50,
        "p95_ms": p95,
        "cpu_p50_ms": cpu50,
        "cpu_p95_ms": cpu95,
        "payload_kb": round(samples[-1][1] / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--small", type=int, default=5)
    parser.add_argument("--large", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--presets", type=int, nargs="+", default=[30, 90])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sz-bench-analytics-") as data_dir:
        url = _database(args.sqlite, data_dir)
        point_settings_at({"SOCIALIZIOZ_DATABASE_URL": url, "SOCIALIZIOZ_DATA_DIR": data_dir})
        from sqlmodel import SQLModel

        import socializioz.models  # noqa: F401  (every table on the metadata)
        from socializioz import db

        SQLModel.metadata.create_all(db.engine())
        today = datetime.now(UTC).date()
        began = time.perf_counter()
        small = _workspace(args.small, today)
        large = _workspace(args.large, today)
        with db.session_scope() as s:
            rows = s.execute(sa.text("SELECT count(*) FROM accountmetricday")).scalar_one()
            snaps = s.execute(sa.text("SELECT count(*) FROM postmetricsnapshot")).scalar_one()
        if not args.sqlite:  # as autovacuum would have by then: planner statistics, visibility map
            with db.engine().connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE"))
        seeded_s = round(time.perf_counter() - began, 1)
        database = "sqlite" if args.sqlite else "postgresql"
        for preset in args.presets:
            for _ in range(3):  # warm the caches of both before timing
                _build(*small, preset)
                _build(*large, preset)
            samples: dict[str, list[tuple[float, int, float]]] = {"small": [], "large": []}
            for _ in range(args.repeats):  # interleaved, so a change in the machine's load hits both
                samples["small"].append(_build(*small, preset))
                samples["large"].append(_build(*large, preset))
            few, many = _summary(samples["small"]), _summary(samples["large"])
            print(
                json.dumps(
                    {
                        "database": database,
                        "days": preset,
                        "accounts": [args.small, args.large],
                        "metric_rows": rows,
                        "post_snapshots": snaps,
                        "small": few,
                        "large": many,
                        "ratio_p50": round(many["p50_ms"] / few["p50_ms"], 2),
                        "ratio_p95": round(many["p95_ms"] / few["p95_ms"], 2),
                        "cpu_ratio_p50": round(many["cpu_p50_ms"] / max(few["cpu_p50_ms"], 0.1), 2),
                        "cpu_ratio_p95": round(many["cpu_p95_ms"] / max(few["cpu_p95_ms"], 0.1), 2),
                        "target": 1.5,
                        "seeded_s": seeded_s,
                        "load": load_average(),
                        "others": other_activity(),
                    }
                ),
                flush=True,
            )
    if not args.sqlite:
        db.reset_engine()
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DATABASE], check=False)
    os.environ.pop("SOCIALIZIOZ_DATABASE_URL", None)


if __name__ == "__main__":
    main()
