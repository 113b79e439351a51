"""Members' logos and photos: uploaded on the profile form, cleaned, shown on cards and profiles."""

import io
import os
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import ExifTags, Image

from members.models import Member
from members.pictures import member_picture_set

from ..factories import MemberFactory

pytestmark = pytest.mark.django_db


def picture(kind="PNG", *, size=(300, 200), colour=(30, 45, 190), **save_options):
    image = Image.new("RGB", size, colour)
    buffer = io.BytesIO()
    image.save(buffer, kind, **save_options)
    name = {"PNG": "logo.png", "JPEG": "photo.jpg", "WEBP": "logo.webp", "GIF": "logo.gif"}[kind]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{kind.lower()}")


def jpeg_with_gps():
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phonemaker"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (46.0, 13.0, 30.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (6.0, 8.0, 10.0),
    }
    return picture("JPEG", exif=exif.tobytes())


def edit_form_data(client, member):
    form = client.get(f"/members/{member.pk}/edit/").context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if name in ("picture", "remove_picture") or value is None or value is False:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list) else value
    return data


def upload(client, member, file, **extra):
    return client.post(
        f"/members/{member.pk}/edit/", {**edit_form_data(client, member), "picture": file, **extra}
    )


def stored_files():
    root = default_storage.location
    return sorted(
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _dirs, names in os.walk(root)
        for name in names
    )


def test_owner_uploads_a_logo_shown_on_their_card_and_profile(innovator, client_for):
    member = innovator.member
    client = client_for(innovator)

    response = upload(client, member, picture("PNG"))

    assert response.status_code == 302
    member.refresh_from_db()
    assert re.fullmatch(r"[0-9a-f]{20}", member.picture)
    assert stored_files() == [
        f"members/{member.pk}/{member.picture}-256.webp",
        f"members/{member.pk}/{member.picture}-64.webp",
    ]
    for size in (64, 256):
        with default_storage.open(f"members/{member.pk}/{member.picture}-{size}.webp") as file:
            image = Image.open(file)
            assert (image.format, image.size) == ("WEBP", (size, size))
    profile = client_for(None).get(member.get_absolute_url()).content.decode()
    directory = client_for(None).get("/members/").content.decode()
    assert member.picture_url(256) in profile
    assert member.picture_url(64) in directory


def test_the_stored_picture_keeps_no_metadata(innovator, client_for):
    member = innovator.member
    uploaded = jpeg_with_gps()
    assert Image.open(io.BytesIO(uploaded.read())).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    uploaded.seek(0)

    upload(client_for(innovator), member, uploaded)

    member.refresh_from_db()
    for size in (64, 256):
        with default_storage.open(f"members/{member.pk}/{member.picture}-{size}.webp") as file:
            content = file.read()
        image = Image.open(io.BytesIO(content))
        assert not image.getexif()
        assert not {"exif", "xmp", "icc_profile"} & set(image.info)
        assert b"Exif" not in content and b"Phonemaker" not in content


@pytest.mark.parametrize(
    "file, message",
    [
        (
            SimpleUploadedFile("logo.png", b"<svg>not a bitmap</svg>", content_type="image/png"),
            "not a PNG, JPEG or WebP picture",
        ),
        (picture("GIF"), "not a PNG, JPEG or WebP picture"),
        (
            SimpleUploadedFile("photo.jpg", picture("JPEG").read()[:200], "image/jpeg"),
            "not a PNG, JPEG or WebP picture",
        ),
    ],
    ids=["svg-named-png", "gif", "truncated-jpeg"],
)
def test_a_file_that_is_not_a_picture_is_refused_and_nothing_stored(
    innovator, client_for, file, message
):
    member = innovator.member
    name_before = member.name

    response = upload(client_for(innovator), member, file, name="Renamed Lab")

    assert response.status_code == 200
    assert message in response.content.decode()
    member.refresh_from_db()
    assert (member.picture, member.name) == ("", name_before)
    assert stored_files() == []


def test_a_picture_over_5_mb_is_refused_with_its_size_and_nothing_stored(innovator, client_for):
    # Noise does not compress: an honest PNG of about 6 MB.
    noise = Image.frombytes("RGB", (1450, 1450), os.urandom(1450 * 1450 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "PNG", compress_level=0)
    assert buffer.tell() > 5 * 1024 * 1024
    big = SimpleUploadedFile("big.png", buffer.getvalue(), content_type="image/png")

    response = upload(client_for(innovator), innovator.member, big)

    assert response.status_code == 200
    assert "a picture may be at most 5.0\xa0MB" in response.content.decode()
    innovator.member.refresh_from_db()
    assert innovator.member.picture == ""
    assert stored_files() == []


def test_a_replaced_picture_gets_new_urls_and_the_directory_card_shows_it(
    innovator, client_for, django_capture_on_commit_callbacks
):
    member = innovator.member
    client = client_for(innovator)
    upload(client, member, picture("PNG", colour=(200, 30, 30)))
    member.refresh_from_db()
    first = member.picture_url(64)
    assert first in client_for(None).get("/members/").content.decode()  # the card is now kept

    with django_capture_on_commit_callbacks(execute=True):
        upload(client, member, picture("WEBP", colour=(30, 160, 60)))

    member.refresh_from_db()
    second = member.picture_url(64)
    assert second != first
    directory = client_for(None).get("/members/").content.decode()
    assert second in directory and first not in directory
    # The old files are gone: only the new picture's two sizes are stored.
    assert stored_files() == sorted(
        f"members/{member.pk}/{member.picture}-{size}.webp" for size in (64, 256)
    )


def test_without_a_picture_the_card_shows_the_initials(innovator, client_for):
    directory = client_for(None).get("/members/").content.decode()
    profile = client_for(None).get(innovator.member.get_absolute_url()).content.decode()

    badge = (
        r'<span class="member-picture member-picture-{size} member-initials[^"]*"'
        r' aria-hidden="true">IS</span>'
    )
    assert re.search(badge.format(size=64), directory)
    assert re.search(badge.format(size=256), profile)


def test_owner_removes_their_picture(innovator, client_for, django_capture_on_commit_callbacks):
    member = innovator.member
    client = client_for(innovator)
    upload(client, member, picture("PNG"))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/members/{member.pk}/edit/",
            {**edit_form_data(client, member), "remove_picture": "on"},
        )

    member.refresh_from_db()
    assert member.picture == ""
    assert stored_files() == []


def test_only_the_owner_and_staff_may_change_a_picture(innovator, persona):
    name, user, client = persona
    member = innovator.member if name != "innovator" else MemberFactory()

    response = client.post(f"/members/{member.pk}/edit/", {"picture": picture("PNG")})

    if name == "visitor":
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    else:
        assert response.status_code == 403
    if user is not None:
        may = name in ("core_group_member", "staff_officer")
        try:
            member_picture_set(member=member, by=user, upload=picture("PNG"))
        except PermissionDenied:
            assert not may
        else:
            assert may
    member.refresh_from_db()
    assert bool(member.picture) == (name in ("core_group_member", "staff_officer"))


def test_staff_replace_a_picture_in_the_admin_and_see_its_thumbnail(
    staff_officer, innovator, client_for
):
    member = innovator.member
    client = client_for(staff_officer)
    url = reverse("admin:members_member_change", args=[member.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None and value is not False
    }
    data.update(
        categories=[c.pk for c in member.categories.all()],
        languages=[lang.pk for lang in member.languages.all()],
        picture_upload=jpeg_with_gps(),
        **{
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
            "roles-MIN_NUM_FORMS": "0",
            "roles-MAX_NUM_FORMS": "1000",
        },
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    member.refresh_from_db()
    assert member.picture
    changelist = client.get(reverse("admin:members_member_changelist")).content.decode()
    assert member.picture_url(64) in changelist


def test_a_claimed_imported_profile_shows_the_picture_its_owner_adds(
    user_without_profile, client_for
):
    imported = MemberFactory(owner=user_without_profile, imported=True, name="Atlas Training")
    Member.objects.filter(pk=imported.pk).update(claimed_at="2026-01-01T00:00Z")
    client = client_for(user_without_profile)

    upload(client, imported, picture("JPEG"))

    imported.refresh_from_db()
    assert (
        imported.picture_url(256)
        in client_for(None).get(imported.get_absolute_url()).content.decode()
    )


def test_pictures_are_served_with_a_year_long_immutable_cache(innovator, client_for):
    member = innovator.member
    upload(client_for(innovator), member, picture("PNG"))
    member.refresh_from_db()

    response = client_for(None).get(member.picture_url(64))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    outside = Client(raise_request_exception=False).get("/media/members/../../settings.py")
    assert outside.status_code in (400, 404)


def test_demo_members_get_generated_logos_once_and_some_keep_their_initials():
    import random

    from members.demo import seed_pictures

    members = [MemberFactory() for _ in range(12)]

    drawn = seed_pictures(random.Random("logos"))

    with_picture = Member.objects.exclude(picture="").count()
    assert drawn == with_picture and 0 < with_picture < len(members)
    assert seed_pictures(random.Random("logos")) == 0


def test_a_deleted_profile_takes_its_picture_files_with_it(
    innovator, client_for, django_capture_on_commit_callbacks
):
    member = innovator.member
    upload(client_for(innovator), member, picture("PNG"))
    assert stored_files()

    with django_capture_on_commit_callbacks(execute=True):
        Member.objects.get(pk=member.pk).delete()

    assert stored_files() == []
