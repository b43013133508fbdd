"""Operator commands: ``python -m socializioz.cli migrate | seed | rotate-keys | retire-keys |
notify-requests``.

Several commands run in order in one process (``migrate seed``), which saves a start-up.
"""

from __future__ import annotations

import argparse

from socializioz.db import migrate_to_head, session_scope
from socializioz.domain.launch_notices import Delivery
from socializioz.security.key_rotation import retire_keys, rotate_keys
from socializioz.services.launch_notifications import RequestRow, all_requests
from socializioz.services.seed import seed_demo
from socializioz.settings import get_settings


def _migrate() -> None:
    migrate_to_head()


def _seed() -> None:
    with session_scope() as db:
        credentials = seed_demo(db)
    print(
        "\nSocializioz is ready.\n"
        f"  Open:      {get_settings().public_base_url}\n"
        f"  Email:     {credentials.email}\n"
        f"  Password:  {credentials.password}\n"
    )


def _rotate() -> None:
    report = rotate_keys()
    print(
        f"Primary key is now {report.primary_key_id}; re-encrypted {report.credentials} credentials and {report.flows} OAuth flows."
    )


def _retire() -> None:
    retired = retire_keys()
    print(f"Retired keys: {', '.join(retired) or 'none'}.")


def _delivery(row: RequestRow) -> str:
    if row.delivery is Delivery.NOTIFIED and row.notified_at is not None:
        return f"notified {row.notified_at:%Y-%m-%d %H:%M} UTC"
    return {Delivery.WAITING: "waiting for launch", Delivery.DUE: "due: shown at the next visit to Connections"}[
        row.delivery
    ]


def _notify_requests() -> None:
    """Who asked to hear when a coming-soon platform launches, and whether the in-app notice has
    reached them (tab-separated, one per line; a summary last)."""
    rows = all_requests()
    for row in rows:
        print(f"{row.platform}\t{row.email}\t{row.name}\t{row.requested_at:%Y-%m-%d %H:%M} UTC\t{_delivery(row)}")
    counts = {state: sum(1 for row in rows if row.delivery is state) for state in Delivery}
    print(
        f"{len(rows)} request(s): {counts[Delivery.WAITING]} waiting for launch, "
        f"{counts[Delivery.DUE]} due, {counts[Delivery.NOTIFIED]} notified."
    )


COMMANDS = {
    "migrate": _migrate,
    "seed": _seed,
    "rotate-keys": _rotate,
    "retire-keys": _retire,
    "notify-requests": _notify_requests,
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m socializioz.cli")
    parser.add_argument("commands", nargs="+", choices=COMMANDS, metavar="command")
    for command in parser.parse_args(argv).commands:
        COMMANDS[command]()


if __name__ == "__main__":
    main()
