"""``docs/spec-coverage.md`` maps every requirement of ``docs/spec-connections.txt`` to the code that
implements it and the tests that would fail if it broke, and cannot drift from either:

* every line of the spec is quoted by at least one row (a new spec line fails here until it has
  one), except headings, step numbers, table headers and the few lines listed as not requirements;
* every row of every spec table (each error code, each problem of the mobile table, each plan,
  platform, capability, indicator and debug-panel section) has a row quoting it from its start;
* every snake_case and UPPER_SNAKE word of the spec (error codes, scopes, statuses) is quoted;
* every quote is the spec's own text, every module and symbol named exists (read with ``ast``),
  every test named exists, and a row without a test says ``untested: <why>``."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPEC_LINES = (ROOT / "docs" / "spec-connections.txt").read_text(encoding="utf-8").splitlines()
TABLE = (ROOT / "docs" / "spec-coverage.md").read_text(encoding="utf-8")

# The published page's chrome around the spec, and sentences that introduce what follows them.
NOT_REQUIREMENTS = {
    "Skip to main content",
    "Documentation Index",
    "Fetch the complete documentation index at: https://docs.socializioz.com/llms.txt",
    "Use this file to discover all available pages before exploring further.",
    "Image 2",
    "Last modified on May 16, 2026",
    "This page covers initial setup and OAuth flows. For day-to-day account management — health "
    "monitoring, reconnecting, disconnecting, and troubleshooting — see the connections management page.",
    "Not every feature is available on every platform. The table below shows what you can do with each "
    "connected account inside Socializioz.",
    "When you reach your plan’s account limit:",
    "The sheet includes platform-specific help:",
    "To reconnect:",
}
TABLE_HEADERS = {
    "PlatformPlan availabilityStatus",
    "CapabilityFacebookInstagramTikTokX (Twitter)LinkedIn",
    "IndicatorMeaning",
    "SectionWhat it shows",
    "PlanAccount limit",
    "Error codeCauseWhat to do",
    "ProblemCauseWhat to do",
}
STATUSES = ("tested", "partial: ", "untested: ")


def _rows() -> list[dict[str, str]]:
    rows = []
    for line in TABLE.splitlines():
        if re.match(r"\| S\d{3} \|", line):
            cells = [c.strip() for c in line.split(" | ")]
            cells[0], cells[-1] = cells[0].lstrip("| "), cells[-1].rstrip(" |")
            assert len(cells) == 6, f"a row needs six cells: {line[:80]}"
            rows.append(dict(zip(("id", "section", "quote", "implementation", "tests", "status"), cells, strict=True)))
    return rows


ROWS = _rows()
QUOTES = [row["quote"] for row in ROWS]


def _is_heading(index: int) -> bool:
    """A title on a line of its own: short, no closing punctuation, a blank line after it."""
    line = SPEC_LINES[index].strip()
    after = SPEC_LINES[index + 1].strip() if index + 1 < len(SPEC_LINES) else ""
    return line.isdigit() or (len(line) < 60 and not line.endswith((".", ":", "!")) and after == "")


def _requirement_lines() -> list[str]:
    return [
        line.strip()
        for index, line in enumerate(SPEC_LINES)
        if line.strip()
        and line.strip() not in NOT_REQUIREMENTS
        and line.strip() not in TABLE_HEADERS
        and not _is_heading(index)
    ]


def _table_lines() -> list[str]:
    """The lines under each table header up to the next blank line, without bullet marks."""
    lines, inside = [], False
    for line in SPEC_LINES:
        text = re.sub(r"^(•|\d+\.)\s*", "", line.strip())
        if line.strip() in TABLE_HEADERS:
            inside = True
        elif not text:
            inside = False
        elif inside and text not in NOT_REQUIREMENTS:
            lines.append(text)
    return lines


def test_the_table_has_the_spec_s_requirements():
    assert len(ROWS) >= 178  # the audit of issue 14 counted 178 requirements
    ids = [row["id"] for row in ROWS]
    assert ids == [f"S{n:03d}" for n in range(1, len(ROWS) + 1)], "ids run S001, S002, ... without gaps"


def test_every_quote_is_the_spec_s_own_words():
    for row in ROWS:
        assert any(row["quote"] in line for line in SPEC_LINES), f"{row['id']}: not in the spec: {row['quote']!r}"


def test_every_section_is_a_heading_of_the_spec():
    headings = {line.strip() for index, line in enumerate(SPEC_LINES) if line.strip() and _is_heading(index)}
    for row in ROWS:
        assert row["section"] in headings | {"Overview"}, f"{row['id']}: {row['section']!r} is not a heading"


def test_every_line_of_the_spec_is_quoted_by_a_row():
    missing = [line for line in _requirement_lines() if not any(quote in line for quote in QUOTES)]
    assert not missing, "spec lines without a row in docs/spec-coverage.md:\n" + "\n".join(missing)


def test_every_row_of_every_spec_table_has_a_row_of_its_own():
    """Each error code, mobile problem, plan, platform, capability, indicator and panel section."""
    missing = [line for line in _table_lines() if not any(line.startswith(quote) for quote in QUOTES)]
    assert not missing, "spec table rows without their own row:\n" + "\n".join(missing)


def test_every_code_scope_and_status_word_of_the_spec_is_quoted():
    # The spec runs table cells together ("missing_credentialsPlatform credentials ..."): a code ends
    # where its case changes.
    lower = r"(?<![A-Za-z_])[a-z]+(?:_[a-z]+)+(?![a-z_])"
    upper = r"(?<![A-Za-z_])[A-Z]+(?:_[A-Z]+)+(?=[A-Z][a-z]|[^A-Za-z_]|$)"
    words = set(re.findall(f"{lower}|{upper}", "\n".join(SPEC_LINES)))
    assert {"missing_credentials", "needs_reconnect", "IG_DIRECT_NOT_PUBLISHABLE", "business_management"} <= words
    quoted = " ".join(QUOTES)
    missing = sorted(w for w in words if not re.search(rf"(?<![A-Za-z_]){w}(?![a-z_])", quoted))
    assert not missing, f"codes, scopes or statuses of the spec no row quotes: {missing}"


def test_the_reconnect_statuses_each_have_their_row():
    sentence = next(line for line in SPEC_LINES if "The account status is" in line)
    statuses = re.findall(r"[a-z_]+", sentence.split("The account status is", 1)[1].replace(" or ", ", "))
    assert len(statuses) == 6
    assert any(all(s in quote for s in statuses) for quote in QUOTES)


@cache
def _names(path: Path) -> frozenset[str]:
    """Top-level functions, classes and assignments, and ``Class.method`` for methods."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        if isinstance(node, ast.ClassDef):
            names |= {
                f"{node.name}.{item.name}"
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
            }
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return frozenset(names)


@cache
def _test_names(path: Path) -> frozenset[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return frozenset(n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef))


def test_every_implementation_named_exists():
    for row in ROWS:
        named = re.findall(r"`([^`]+)`", row["implementation"])
        assert named, f"{row['id']} names no implementation"
        for ref in named:
            path, _, symbol = ref.partition("::")
            assert path.startswith("socializioz/") and (ROOT / path).is_file(), f"{row['id']}: no file {path}"
            if symbol:
                assert path.endswith(".py") and symbol in _names(ROOT / path), f"{row['id']}: {path} has no {symbol}"


def test_every_test_named_exists_and_a_row_without_one_says_why():
    for row in ROWS:
        status = row["status"]
        assert status == "tested" or status.startswith(STATUSES[1:]), f"{row['id']}: status {status!r}"
        named = re.findall(r"`([^`]+)::([^`]+)`", row["tests"])
        if status.startswith("untested: "):
            assert not named and len(status) > 20, f"{row['id']}: an untested row says why and names no test"
            continue
        assert named, f"{row['id']} names no test"
        for path, function in named:
            assert path.startswith("tests/") and (ROOT / path).is_file(), f"{row['id']}: {path} does not exist"
            assert function.startswith("test_") and function in _test_names(ROOT / path), (
                f"{row['id']}: {path} has no {function}"
            )
