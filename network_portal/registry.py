"""Parts that each app registers, so that pages and emails gathering from every app import none.

The home page, a member's home and the weekly email show something of every app, but the shared
package sits below all of them and must not import them (DESIGN.md, "How the apps stand on each
other"). Instead each app registers its *parts* in its ``AppConfig.ready``::

    from network_portal import registry

    registry.register(
        registry.HOME_FIGURES,
        name="members",
        order=10,
        template="members/_home_figures.html",
        context=home_figures,  # def home_figures(*, request) -> dict | None
    )

and the page renders whatever was registered, in order::

    registry.render(registry.HOME_FIGURES, request=request)  # a list of HTML strings

A part is a name (unique within its kind; registering the same name again replaces the part),
an order (lower first, then by name), a context function and a template rendered with the
context it returns. The context function is called with the keyword arguments of its kind (see
``KINDS``); it returns a dict, or None to leave the part out (nothing to say to this person).
Each part costs the queries of its context function: keep that a fixed number.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

# Each kind: where its parts appear, and the keyword arguments its context functions receive.
HOME_FIGURES = "home.figures"
HOME_SECTIONS = "home.sections"
MEMBER_HOME_BLOCKS = "member-home.blocks"
WEEKLY_EMAIL_SECTIONS = "weekly-email.sections"
ACCOUNT_DATA = "account.data"

KINDS = {
    HOME_FIGURES: "The network in figures on the home page; context(request=...).",
    HOME_SECTIONS: "Sections of the home page below its introduction; context(request=...).",
    MEMBER_HOME_BLOCKS: (
        "Blocks of a signed-in member's home; context(request=...); each template extends "
        "home/_block.html (a card in the grid: blocks heading, body with an empty state, links)."
    ),
    WEEKLY_EMAIL_SECTIONS: (
        "Sections of the weekly email; context(user=..., since=...), no request; rendered from "
        "the part's template (HTML) and text_template (plain text)."
    ),
    ACCOUNT_DATA: (
        "Files of 'Download my data'; context(user=...) returns {'rows': [dict, ...]} of that "
        "person's own rows (flat, JSON-able values), or None; the part's name names the files "
        "(<name>.json and <name>.csv); no template."
    ),
}


@dataclass(frozen=True)
class Part:
    """What one app contributes to a page or an email that gathers from every app."""

    kind: str
    name: str
    template: str
    context: Callable[..., dict[str, Any] | None]
    order: int = 100
    text_template: str = ""  # the plain-text twin, for the parts of an email


_parts: dict[str, dict[str, Part]] = {kind: {} for kind in KINDS}


def register(kind, *, name, template, context, order=100, text_template=""):
    """Add (or replace, by ``name``) a part of ``kind``; call it from ``AppConfig.ready``."""
    if kind not in KINDS:
        raise ValueError(f"Unknown kind of part {kind!r}; the kinds are {sorted(KINDS)}.")
    part = Part(kind, name, template, context, order, text_template)
    _parts[kind][name] = part
    return part


def parts(kind):
    """The parts of ``kind``, in order."""
    return sorted(_parts[kind].values(), key=lambda part: (part.order, part.name))


def collect(kind, **arguments):
    """Each part of ``kind`` with its context, leaving out the parts that return None."""
    collected = []
    for part in parts(kind):
        context = part.context(**arguments)
        if context is not None:
            collected.append((part, context))
    return collected


def render(kind, *, request=None, text=False, **arguments):
    """The parts of ``kind`` rendered in order: a list of strings (HTML unless ``text``).

    ``request``, when given, is passed to the context functions and to the templates (the
    page kinds); an email's sections get ``user`` and the like in ``arguments`` instead.
    """
    if request is not None:
        arguments["request"] = request
    return [
        render_to_string(part.text_template if text else part.template, context, request)
        for part, context in collect(kind, **arguments)
    ]
