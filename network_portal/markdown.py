"""Markdown written by members, turned into HTML that is safe to show to everyone.

The one renderer of the portal: the knowledge base, session descriptions and discussions use it,
so they sanitise alike.
"""

import re

import markdown
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "h6", "hr", "li",
    "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}
HEADING = re.compile(r"<(/?)h([1-5])\b")


def render_markdown(text):
    """Markdown to sanitised HTML; headings start at <h2>, since the page owns its <h1>."""
    if not text:
        return ""
    html = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    html = HEADING.sub(lambda match: f"<{match[1]}h{int(match[2]) + 1}", html)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has just sanitised it
