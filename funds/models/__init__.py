"""Fund calls and their history, members' alerts and follows, the emails owed, and partner
requests."""

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
from .partners import PartnerRequest, PartnerRequestQuerySet

__all__ = [
    "MODERATE_PERMISSION",
    "REMINDER_DAYS",
    "Follow",
    "FundAlert",
    "FundCall",
    "FundCallDelivery",
    "FundCallEvent",
    "FundCallQuerySet",
    "PartnerRequest",
    "PartnerRequestQuerySet",
    "contains_slug",
    "validate_member_types",
    "validate_regions",
]
