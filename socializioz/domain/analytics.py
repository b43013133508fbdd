"""The app's normalised metric names (reference/analytics.md §6): each platform's client maps its
own metric names onto these, and storage and pages know only these."""

from __future__ import annotations

import enum


class Metric(str, enum.Enum):
    """Account-level, one value per account per day (``AccountMetricDay.metric``)."""

    FOLLOWERS = "followers"  # audience size at the end of the day
    REACH = "reach"  # distinct accounts reached that day, where the platform offers it
    VIEWS = "views"  # views / impressions of the account's content that day (Meta: ``views``)
    ENGAGEMENT = "engagement"  # interactions that day (reactions, likes, comments, shares, saves)
    POSTS = "posts"  # posts published that day
