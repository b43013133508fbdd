"""The operator command line: several commands run in order in one process (``make run`` uses
``migrate seed``), and an unknown one is refused before anything runs."""

from __future__ import annotations

import pytest

from socializioz import cli


def test_several_commands_run_in_order(monkeypatch) -> None:
    ran: list[str] = []
    monkeypatch.setitem(cli.COMMANDS, "migrate", lambda: ran.append("migrate"))
    monkeypatch.setitem(cli.COMMANDS, "seed", lambda: ran.append("seed"))
    cli.main(["migrate", "seed"])
    assert ran == ["migrate", "seed"]


def test_an_unknown_command_runs_nothing(monkeypatch) -> None:
    ran: list[str] = []
    monkeypatch.setitem(cli.COMMANDS, "migrate", lambda: ran.append("migrate"))
    with pytest.raises(SystemExit):
        cli.main(["migrate", "drop-everything"])
    assert ran == []
