"""Fund calls and their history, members' alerts and follows, and the emails owed."""

from .alerts import REMINDER_DAYS, Follow, FundAlert
from .calls import (
    MODERATE_PERMISSION,
    FundCall,
    FundCallEvent,
    FundCallQuerySet,
    contains_slug,
    validate_member_types,
    validate_regions,
)
from .deliveries import FundCallDelivery

__all__ = [
    "MODERATE_PERMISSION",
    "REMINDER_DAYS",
    "Follow",
    "FundAlert",
    "FundCall",
    "FundCallDelivery",
    "FundCallEvent",
    "FundCallQuerySet",
    "contains_slug",
    "validate_member_types",
    "validate_regions",
]
