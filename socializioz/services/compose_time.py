"""A date and time typed in the workspace's time zone, as the UTC moment a post is due.

Daylight-saving changes make two kinds of wall-clock times special: in the spring gap (e.g.
02:30 on the night clocks jump from 02:00 to 03:00) the time never happens, so it is refused with
a clear message rather than silently moved; in the autumn overlap (01:30 happens twice) the first
occurrence is taken and the composer says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from socializioz.services.errors import ValidationError

DEFAULT_ZONE = "UTC"


@dataclass(frozen=True)
class DueTime:
    utc: datetime
    ambiguous: bool = False  # the local time happened twice; ``utc`` is the first occurrence


def zone(name: str) -> ZoneInfo:
    """The workspace's zone; an unknown name (a setting from an older tz database) falls back to UTC."""
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def local_to_utc(day: str, clock: str, zone_name: str) -> DueTime:
    """``day`` (YYYY-MM-DD) and ``clock`` (HH:MM) in ``zone_name`` as a UTC moment."""
    try:
        naive = datetime.fromisoformat(f"{day.strip()}T{clock.strip()}")
    except ValueError as error:
        raise ValidationError("compose.time_invalid") from error
    if naive.tzinfo is not None:
        raise ValidationError("compose.time_invalid")
    tz = zone(zone_name)
    first, second = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    if first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        raise ValidationError("compose.time_nonexistent", time=naive.strftime("%H:%M"), zone=tz.key)
    return DueTime(first.astimezone(UTC), ambiguous=first.utcoffset() != second.utcoffset())


def utc_to_local(moment: datetime, zone_name: str) -> tuple[str, str]:
    """(YYYY-MM-DD, HH:MM) of a UTC moment in the zone: the composer's inputs for a saved time."""
    local = moment.astimezone(zone(zone_name))
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M")


def default_slot(now: datetime, zone_name: str, ahead: timedelta = timedelta(hours=1)) -> tuple[str, str]:
    """The inputs' first value: the next whole five minutes an hour from now, in the zone."""
    later = now + ahead
    later -= timedelta(minutes=later.minute % 5, seconds=later.second, microseconds=later.microsecond)
    return utc_to_local(later + timedelta(minutes=5), zone_name)
