"""Plans and their account limits (spec: "Plan limits")."""

from __future__ import annotations

import enum


class Plan(str, enum.Enum):
    FREE = "free"
    STARTER = "starter"
    PROFESSIONAL = "professional"
    ENTERPRISE = "enterprise"

    @property
    def rank(self) -> int:
        return list(Plan).index(self)

    @property
    def account_limit(self) -> int | None:
        """How many social accounts the plan allows; ``None`` means unlimited."""
        return ACCOUNT_LIMITS[self]


ACCOUNT_LIMITS: dict[Plan, int | None] = {
    Plan.FREE: 1,
    Plan.STARTER: 5,
    Plan.PROFESSIONAL: None,
    Plan.ENTERPRISE: None,
}


def slots_left(plan: Plan, connected: int) -> int | None:
    """Accounts that can still be connected; ``None`` when unlimited."""
    limit = plan.account_limit
    return None if limit is None else max(limit - connected, 0)


def is_full(plan: Plan, connected: int) -> bool:
    return slots_left(plan, connected) == 0
