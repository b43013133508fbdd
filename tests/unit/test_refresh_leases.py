"""Named leases: one statement claims many, a held lease is refused, an expired one is taken over."""

from __future__ import annotations

from datetime import timedelta

import pytest

from socializioz.services import refresh_leases
from tests.conftest import START

pytestmark = pytest.mark.usefixtures("schema")
LATER = START + timedelta(minutes=5)


def test_claim_takes_free_and_expired_leases_only(db):
    assert refresh_leases.claim(db, ["a", "b"], "p1", free_at=START, until=LATER) == {"a", "b"}
    assert refresh_leases.claim(db, ["a", "b", "c"], "p2", free_at=START, until=LATER) == {"c"}
    assert refresh_leases.stale(db, ["a", "b", "c"], free_at=LATER) == {"a", "b", "c"}
    assert refresh_leases.claim(db, ["a"], "p2", free_at=LATER, until=LATER + timedelta(minutes=5)) == {"a"}


def test_release_and_renew_check_the_holder(db):
    refresh_leases.claim(db, ["job"], "p1", free_at=START, until=LATER)
    assert refresh_leases.renew(db, "job", "p2", LATER) is False
    refresh_leases.release(db, ["job"], "p2")
    assert refresh_leases.claim(db, ["job"], "p2", free_at=START, until=LATER) == set()
    assert refresh_leases.renew(db, "job", "p1", LATER + timedelta(hours=1)) is True
    refresh_leases.release(db, ["job"], "p1")
    assert refresh_leases.stale(db, ["job"], free_at=LATER) == set()
    assert refresh_leases.claim(db, ["job"], "p2", free_at=START, until=LATER) == {"job"}


def test_holder_names_host_process_and_a_random_part():
    first, second = refresh_leases.new_holder(), refresh_leases.new_holder()
    assert first != second and first.count(":") == 2
