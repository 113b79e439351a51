"""Posts are Markdown sanitised by the one renderer: no script, handler or javascript: link."""

import pytest
from django.urls import reverse

from .conftest import make_thread

pytestmark = pytest.mark.django_db

ATTACKS = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">click</a>',
    "<iframe src='https://evil.example'></iframe>",
    '<svg onload="alert(1)"></svg>',
    "<style>body{display:none}</style>",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_post_cannot_inject_script(client_for, author, innovator, wbl, attack):
    thread = make_thread(
        author, wbl, title="<b>title</b><script>alert(2)</script>", body=f"Hello {attack}"
    )

    page = client_for(innovator).get(thread.get_absolute_url()).content.decode().lower()

    for bad in ["<script>alert", "onerror=", "javascript:", "<iframe", "onload=", "<style>body"]:
        assert bad not in page
    assert "&lt;script&gt;alert(2)" in page  # the title is escaped text


def test_markdown_still_renders(client_for, author, innovator, wbl):
    thread = make_thread(author, wbl, body="**bold** and [a link](https://ilo.org)")
    page = client_for(innovator).get(thread.get_absolute_url()).content.decode()

    assert "<strong>bold</strong>" in page
    assert 'href="https://ilo.org"' in page and "nofollow" in page


def test_reply_form_rejects_an_empty_post(client_for, innovator, author, wbl):
    thread = make_thread(author, wbl)
    response = client_for(innovator).post(
        reverse("discussions:reply", args=[wbl.slug, thread.pk]), {"body": "", "language": "en"}
    )
    assert response.status_code == 400
