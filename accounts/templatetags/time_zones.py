from django import template

from accounts.time_zones import time_zone_name

register = template.Library()


@register.filter(name="time_zone_name")
def time_zone_name_filter(key, at=None):
    """``{{ zone|time_zone_name:moment }}``: "Dakar (GMT+0)", the offset at ``moment``."""
    return time_zone_name(key, at or None)
