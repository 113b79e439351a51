"""Labels of a member card, looked up in tables built once per language (``labels``).

A directory page shows dozens of cards; Django's ``get_<field>_display`` and django-countries
translate their labels again for each card, which cost a third of the page's time.
"""

from django import template

from ..directory import labels

register = template.Library()


@register.filter
def type_label(member):
    return labels()["type"].get(member.member_type, member.member_type)


@register.filter
def region_label(member):
    return labels()["region"].get(member.region, member.region)


@register.filter
def country_name(member):
    return labels()["country"].get(member.country.code, member.country.code)


# Grounds of the initials badge, each with white text above 7:1 (WCAG AAA): one per member, by pk.
INITIALS_GROUNDS = 6


@register.inclusion_tag("members/_picture.html")
def member_picture(member, size=64):
    """The member's picture in its ``size`` px square (64 or 256), or a badge of its initials.

    Decorative (empty alt text): the member's name always stands next to it.
    """
    return {
        "url": member.picture_url(size),
        "size": size,
        "initials": member.initials,
        "ground": (member.pk or 0) % INITIALS_GROUNDS,
    }
