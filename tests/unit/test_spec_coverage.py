"""``docs/spec-coverage.md`` cannot drift: every section of the spec has rows, and every path and
test the table names exists (a renamed test or a moved module fails here)."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPEC = (ROOT / "docs" / "spec-connections.txt").read_text(encoding="utf-8")
TABLE = (ROOT / "docs" / "spec-coverage.md").read_text(encoding="utf-8")

# The spec's section headings (a heading is a line of its own followed by a blank line).
SECTIONS = (
    "Supported platforms",
    "Platform capabilities",
    "How to connect an account",
    "Pre-connect setup guides",
    "Facebook setup sheet",
    "Instagram setup sheet",
    "Other platforms",
    "Telegram and WhatsApp",
    "Platform-specific requirements",
    "Quick-compose from a connected account",
    "Troubleshooting connection errors",
    "Connection status indicators",
    "Publish capability",
    "Stuck connecting spinner",
    "Empty account list after connecting on mobile",
    "Automatic token refresh",
    "Viewing account details",
    "Meta token debug panel (admin only)",
    "Disconnecting an account",
    "Reconnecting an expired account",
    "Plan limits",
    "Connections during onboarding",
    "Mobile connections",
    "How mobile OAuth works",
    "Multi-workspace reconnection on mobile",
    "Mobile connection tips",
    "Connection error reference",
    "General OAuth errors",
    "Meta (Facebook and Instagram) errors",
    "X (Twitter) errors",
    "TikTok errors",
    "LinkedIn errors",
    "Mobile-specific issues",
)


def _rows() -> list[list[str]]:
    rows = [line.split("|")[1:-1] for line in TABLE.splitlines() if re.match(r"\| R\d+ ", line)]
    return [[cell.strip() for cell in row] for row in rows]


@cache
def _test_names(path: Path) -> frozenset[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return frozenset(node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef))


def test_every_section_of_the_spec_is_in_the_spec_and_has_rows():
    covered = {row[1] for row in _rows()}
    for section in SECTIONS:
        assert f"\n{section}\n" in SPEC, f"not a heading of the spec: {section}"
        assert section in covered, f"no row for the spec's section {section!r}"
    assert covered <= set(SECTIONS), f"rows for sections the spec does not have: {covered - set(SECTIONS)}"


def test_ids_are_unique():
    ids = [row[0] for row in _rows()]
    assert len(ids) == len(set(ids)) and len(ids) >= len(SECTIONS)


def test_every_implementation_path_exists():
    for row in _rows():
        for path in re.findall(r"`([^`]+)`", row[3]):
            assert (ROOT / path).exists(), f"{row[0]}: {path} does not exist"


def test_every_named_test_exists():
    for row in _rows():
        named = re.findall(r"`([^`]+)::([^`]+)`", row[4])
        assert named, f"{row[0]} names no test"
        for path, function in named:
            assert (ROOT / path).is_file(), f"{row[0]}: {path} does not exist"
            assert function in _test_names(ROOT / path), f"{row[0]}: {path} has no {function}"
