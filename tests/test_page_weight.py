"""Page weight: what a first visit to a main page downloads, compressed as production serves."""

import gzip
import random
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage

from members.demo import draw_logo
from members.models import Member
from members.pictures import picture_store

from .factories import MemberFactory

pytestmark = pytest.mark.django_db

BUDGET = 200_000  # bytes transferred on a first load, HTML and static files together
ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src|img[^>]+src)="([^"]+)"')


def _compressed(content):
    # whitenoise serves gzip (or smaller brotli) copies made by collectstatic
    return len(gzip.compress(content, compresslevel=9))


def first_load(client, url):
    """Bytes a browser without a cache downloads for ``url``: the page and each asset once."""
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content
    total = _compressed(html)
    assets = set(ASSET.findall(html.decode()))
    for asset in assets:
        if asset.startswith(settings.MEDIA_URL):
            # Members' pictures: WebP, sent as they are stored.
            with default_storage.open(asset.removeprefix(settings.MEDIA_URL)) as file:
                total += len(file.read())
            continue
        assert asset.startswith(settings.STATIC_URL), f"{asset} is not one of our files"
        path = finders.find(asset.removeprefix(settings.STATIC_URL))
        assert path, asset
        with open(path, "rb") as file:
            total += _compressed(file.read())
    return total, assets


def test_main_pages_weigh_under_200_kb_and_load_no_unused_script(visitor):
    member = MemberFactory(name="Atlas Apprenticeships", languages=["fr"])
    for index in range(30):
        MemberFactory(name=f"Lab {index}", categories=["social-inclusion", "research-data"])
    # Every member with a logo, as busy as the demo's: one on each card of the directory.
    rng = random.Random("weight")
    for each in Member.objects.all():
        picture_store(member=each, image=draw_logo(rng, each.name))

    for url in ["/", "/members/", member.get_absolute_url(), "/funds/", "/coaching/"]:
        total, assets = first_load(visitor, url)

        assert total <= BUDGET, f"{url}: {total} bytes"
        if url in ("/members/", member.get_absolute_url()):
            assert any(asset.startswith(settings.MEDIA_URL) for asset in assets), url
        assert not [asset for asset in assets if "htmx" in asset], url
