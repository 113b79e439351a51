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
